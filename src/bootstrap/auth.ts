import { AUTH_TOKEN_COLUMNS } from '../introspect/auth-tokens';
import { functionExecute, schema, schemaUsage, sqlFunction, table, type Column, type Requirement } from './requirement';
import { API_ROLES } from './roles';

const TOKEN_COLUMNS = AUTH_TOKEN_COLUMNS;

const USER_COLUMNS: readonly Column[] = [
  ['instance_id', 'uuid'],
  ['id', 'uuid primary key default gen_random_uuid()'],
  ['aud', 'varchar(255)'],
  ['role', 'varchar(255)'],
  ['email', 'varchar(255)'],
  ['encrypted_password', 'varchar(255)'],
  ['email_confirmed_at', 'timestamptz'],
  ['last_sign_in_at', 'timestamptz'],
  ['phone', 'text'],
  ['phone_confirmed_at', 'timestamptz'],
  ['raw_app_meta_data', 'jsonb'],
  ['raw_user_meta_data', 'jsonb'],
  ['banned_until', 'timestamptz'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
  ['deleted_at', 'timestamptz'],
  ['is_sso_user', 'boolean not null default false'],
  ['is_anonymous', 'boolean not null default false'],
  ...TOKEN_COLUMNS.map((name): Column => [name, "text default ''"]),
];

const IDENTITY_COLUMNS: readonly Column[] = [
  ['id', 'uuid primary key default gen_random_uuid()'],
  ['provider_id', 'text not null'],
  ['user_id', 'uuid not null references auth.users (id) on delete cascade'],
  ['identity_data', 'jsonb not null'],
  ['provider', 'text not null'],
  ['last_sign_in_at', 'timestamptz'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
  ['email', "text generated always as (lower(identity_data ->> 'email')) stored"],
];

/** PostgREST sets request.jwt.claims; older versions set one request.jwt.claim.<name> per claim. */
function claim(name: string): string {
  return `coalesce(nullif(current_setting('request.jwt.claim.${name}', true), ''), (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> '${name}'))`;
}

const JWT =
  "coalesce(nullif(current_setting('request.jwt.claim', true), ''), nullif(current_setting('request.jwt.claims', " +
  "true), ''))::jsonb";

const FUNCTIONS = [
  sqlFunction('auth', 'uid', '', '', 'uuid', 'stable', `select ${claim('sub')}::uuid`),
  sqlFunction('auth', 'role', '', '', 'text', 'stable', `select ${claim('role')}::text`),
  sqlFunction('auth', 'email', '', '', 'text', 'stable', `select ${claim('email')}::text`),
  sqlFunction('auth', 'jwt', '', '', 'jsonb', 'stable', `select ${JWT}`),
];

export const AUTH_REQUIREMENTS: readonly Requirement[] = [
  schema('auth'),
  schemaUsage('auth', API_ROLES),
  table('auth', 'users', USER_COLUMNS),
  table('auth', 'identities', IDENTITY_COLUMNS, ['unique (provider_id, provider)']),
  ...FUNCTIONS,
  ...['uid', 'role', 'email', 'jwt'].map((name) => functionExecute('auth', name, '', API_ROLES)),
];
