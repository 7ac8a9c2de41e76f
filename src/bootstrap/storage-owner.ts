import { requirement, role, type Requirement } from './requirement';

const OWNER = `(select pg_catalog.pg_get_userbyid(datdba) from pg_catalog.pg_database where datname = pg_catalog.current_database())`;

/**
 * On Supabase, auth's and storage's tables belong to supabase_auth_admin and
 * supabase_storage_admin, yet `postgres` may create (and drop) policies and triggers on
 * auth.users, storage.objects and storage.buckets (supautils grants exactly that). Plain Postgres
 * lets only the owner, or a member of the owning role, do so; so the tables go to the same
 * roles as there, and the database owner (who applies, as postgres does) becomes a member.
 * Without it a source's storage policies fail with "must be owner of table objects".
 */
function ownedAsOnSupabase(admin: string, schema: string, tables: string[]): Requirement {
  const adminOid = `(select oid from pg_catalog.pg_roles where rolname = '${admin}')`;
  const qualified = tables.map((t) => `${schema}.${t}`);
  return requirement(
    `${qualified.join(', ')} owned by ${admin}, policies and triggers writable by the database owner`,
    `coalesce((select bool_and(c.relowner = ${adminOid}) from pg_catalog.pg_class c
        where c.oid in (${qualified.map((t) => `pg_catalog.to_regclass('${t}')`).join(', ')})), false)
      and coalesce(pg_catalog.pg_has_role(${OWNER}, ${adminOid}, 'usage'), false)
      and coalesce(pg_catalog.has_schema_privilege(${adminOid}, pg_catalog.to_regnamespace('${schema}')::oid, 'usage'), false)`,
    [
      // Key checks and triggers run as the table's owner, which must reach its schema.
      `grant usage, create on schema ${schema} to ${admin};`,
      ...qualified.map((t) => `alter table ${t} owner to ${admin};`),
      'do $$',
      'declare owner text := ' + OWNER + ';',
      'begin',
      `  if not pg_catalog.pg_has_role(owner, '${admin}', 'usage') then`,
      `    execute pg_catalog.format('grant ${admin} to %I', owner);`,
      '  end if;',
      'end',
      '$$;',
    ].join('\n'),
  );
}

export const STORAGE_OWNER_REQUIREMENTS: readonly Requirement[] = [
  role('supabase_auth_admin', 'nologin noinherit'),
  role('supabase_storage_admin', 'nologin noinherit'),
  ownedAsOnSupabase('supabase_auth_admin', 'auth', ['users', 'identities']),
  ownedAsOnSupabase('supabase_storage_admin', 'storage', ['buckets', 'objects']),
];
