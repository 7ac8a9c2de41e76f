import { publication, schema, schemaUsage, table, type Requirement } from './requirement';
import { API_ROLES } from './roles';

/** What the rest of a Supabase project provides: extensions schema, API grants, realtime, migration history. */
export const PLATFORM_REQUIREMENTS: readonly Requirement[] = [
  schema('extensions'),
  schemaUsage('extensions', API_ROLES),
  schemaUsage('public', API_ROLES),
  publication('supabase_realtime'),
  schema('supabase_migrations'),
  table('supabase_migrations', 'schema_migrations', [
    ['version', 'text primary key'],
    ['statements', 'text[]'],
    ['name', 'text'],
  ]),
];
