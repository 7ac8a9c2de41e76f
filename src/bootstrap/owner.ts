import { requirement, type Requirement } from './requirement';

/**
 * On Supabase, migrations run as `postgres`: not a superuser, yet it may create extensions in
 * `extensions`, reference auth.users, write the migration history, publish tables for realtime
 * and act as the API roles. Locally that role is the database's owner; a superuser owner
 * needs none of this, so the grants apply only to an owner that is not one.
 */
const OWNER = `(select pg_catalog.pg_get_userbyid(datdba) from pg_catalog.pg_database where datname = pg_catalog.current_database())`;
const OWNER_IS_SUPERUSER = `(select rolsuper from pg_catalog.pg_roles where rolname = ${OWNER})`;

const GRANTS = [
  'grant usage on schema auth, storage to %1$I',
  'grant usage, create on schema extensions to %1$I',
  // postgres may also write auth.users there (importing users) and add triggers to it.
  'grant select, insert, update, delete, references, trigger on auth.users, auth.identities to %1$I',
  'grant all on storage.buckets, storage.objects to %1$I',
  'grant usage, create on schema supabase_migrations to %1$I',
  'grant all on supabase_migrations.schema_migrations to %1$I',
  'grant anon, authenticated, service_role to %1$I',
  'alter publication supabase_realtime owner to %1$I',
  // Supabase lets postgres load data with triggers off; plain Postgres 15+ grants it per parameter.
  'grant set on parameter session_replication_role to %1$I',
];

export const OWNER_REQUIREMENTS: readonly Requirement[] = [
  requirement(
    'privileges of the database owner',
    `coalesce(${OWNER_IS_SUPERUSER}, false) or (
      coalesce(pg_catalog.has_schema_privilege(${OWNER}, pg_catalog.to_regnamespace('extensions')::oid, 'create'), false)
      and coalesce(pg_catalog.has_table_privilege(${OWNER}, pg_catalog.to_regclass('supabase_migrations.schema_migrations')::oid, 'insert'), false)
      and coalesce(pg_catalog.has_table_privilege(${OWNER}, pg_catalog.to_regclass('auth.identities')::oid, 'insert'), false)
      and coalesce(pg_catalog.has_table_privilege(${OWNER}, pg_catalog.to_regclass('auth.users')::oid, 'trigger'), false)
      and coalesce(pg_catalog.pg_has_role(${OWNER}, (select oid from pg_catalog.pg_roles where rolname = 'authenticated'), 'usage'), false)
      and pg_catalog.has_parameter_privilege(${OWNER}, 'session_replication_role', 'set')
      and exists (select from pg_catalog.pg_publication where pubname = 'supabase_realtime' and pubowner = (select datdba from pg_catalog.pg_database where datname = pg_catalog.current_database())))`,
    [
      'do $$',
      'declare owner text := ' + OWNER + ';',
      'begin',
      ...GRANTS.map((g) => `  execute pg_catalog.format('${g}', owner);`),
      'end',
      '$$;',
    ].join('\n'),
  ),
];
