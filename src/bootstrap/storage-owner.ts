import { requirement, role, type Requirement } from './requirement';

const OWNER = `(select pg_catalog.pg_get_userbyid(datdba) from pg_catalog.pg_database where datname = pg_catalog.current_database())`;
const ADMIN = `(select oid from pg_catalog.pg_roles where rolname = 'supabase_storage_admin')`;
const TABLES = ['storage.buckets', 'storage.objects'];

/**
 * On Supabase, storage.objects and storage.buckets belong to supabase_storage_admin, yet
 * `postgres` may create policies and triggers on them (supautils grants exactly that). Plain
 * Postgres lets only the owner, or a member of the owning role, create a policy; so the tables
 * go to supabase_storage_admin as there, and the database owner (who applies, as postgres does)
 * becomes a member. Without it, a source's storage policies fail with "must be owner of table".
 */
export const STORAGE_OWNER_REQUIREMENTS: readonly Requirement[] = [
  role('supabase_storage_admin', 'nologin noinherit'),
  requirement(
    'storage tables owned by supabase_storage_admin, policies writable by the database owner',
    `coalesce((select bool_and(c.relowner = ${ADMIN}) from pg_catalog.pg_class c
        where c.oid in (${TABLES.map((t) => `pg_catalog.to_regclass('${t}')`).join(', ')})), false)
      and coalesce(pg_catalog.pg_has_role(${OWNER}, ${ADMIN}, 'usage'), false)
      and coalesce(pg_catalog.has_schema_privilege(${ADMIN}, pg_catalog.to_regnamespace('storage')::oid, 'usage'), false)`,
    [
      // Key checks and triggers run as the table's owner, which must reach its schema.
      'grant usage, create on schema storage to supabase_storage_admin;',
      ...TABLES.map((t) => `alter table ${t} owner to supabase_storage_admin;`),
      'do $$',
      'declare owner text := ' + OWNER + ';',
      'begin',
      "  if not pg_catalog.pg_has_role(owner, 'supabase_storage_admin', 'usage') then",
      "    execute pg_catalog.format('grant supabase_storage_admin to %I', owner);",
      '  end if;',
      'end',
      '$$;',
    ].join('\n'),
  ),
];
