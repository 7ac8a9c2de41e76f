import {
  functionExecute,
  rowLevelSecurity,
  schema,
  schemaUsage,
  sqlFunction,
  table,
  tablePrivileges,
  type Column,
  type Requirement,
} from './requirement';
import { API_ROLES } from './roles';

const BUCKET_COLUMNS: readonly Column[] = [
  ['id', 'text primary key'],
  ['name', 'text not null unique'],
  ['owner', 'uuid'],
  ['owner_id', 'text'],
  ['public', 'boolean default false'],
  ['avif_autodetection', 'boolean default false'],
  ['file_size_limit', 'bigint'],
  ['allowed_mime_types', 'text[]'],
  ['created_at', 'timestamptz default now()'],
  ['updated_at', 'timestamptz default now()'],
];

const OBJECT_COLUMNS: readonly Column[] = [
  ['id', 'uuid primary key default gen_random_uuid()'],
  ['bucket_id', 'text references storage.buckets (id)'],
  ['name', 'text'],
  ['owner', 'uuid'],
  ['owner_id', 'text'],
  ['metadata', 'jsonb'],
  ['path_tokens', "text[] generated always as (string_to_array(name, '/')) stored"],
  ['version', 'text'],
  ['user_metadata', 'jsonb'],
  ['created_at', 'timestamptz default now()'],
  ['updated_at', 'timestamptz default now()'],
  ['last_accessed_at', 'timestamptz default now()'],
];

// Policies call these per row, so they are plain immutable SQL the planner can inline.
const FUNCTIONS = [
  sqlFunction(
    'storage',
    'foldername',
    'name text',
    'text',
    'text[]',
    'immutable',
    "select (string_to_array(name, '/'))[1:cardinality(string_to_array(name, '/')) - 1]",
  ),
  sqlFunction('storage', 'filename', 'name text', 'text', 'text', 'immutable', "select split_part(name, '/', -1)"),
  // Like Supabase's own helper, a name without a dot yields the whole file name.
  sqlFunction(
    'storage',
    'extension',
    'name text',
    'text',
    'text',
    'immutable',
    "select split_part(split_part(name, '/', -1), '.', -1)",
  ),
];

const DML = ['select', 'insert', 'update', 'delete'];

export const STORAGE_REQUIREMENTS: readonly Requirement[] = [
  schema('storage'),
  schemaUsage('storage', API_ROLES),
  table('storage', 'buckets', BUCKET_COLUMNS),
  table('storage', 'objects', OBJECT_COLUMNS, ['unique (bucket_id, name)']),
  rowLevelSecurity('storage', 'buckets'),
  rowLevelSecurity('storage', 'objects'),
  // RLS is what guards these rows; the grants only let the API roles reach the tables.
  tablePrivileges('storage', 'buckets', DML, API_ROLES),
  tablePrivileges('storage', 'objects', DML, API_ROLES),
  ...FUNCTIONS,
  ...['foldername', 'filename', 'extension'].map((name) => functionExecute('storage', name, 'text', API_ROLES)),
];
