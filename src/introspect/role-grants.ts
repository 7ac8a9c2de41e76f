import type { RoleGrant } from './snapshot';
import { notExtensionMember, rowsOf, sortByKeys, type CatalogScope } from './catalog';
import { isPlatformRole } from './roles';

interface RoleGrantRow {
  grantee: string;
  kind: RoleGrant['kind'];
  schema: string;
  name: string;
  detail: string;
  privilege: string;
  grantable: boolean;
}

/** One aclexplode per catalog; `object` yields kind, schema, name, detail (column or argument list). */
function aclRows(from: string, acl: string, owner: string, object: string, where: string): string {
  return `select case when a.grantee = 0 then 'public' else pg_catalog.pg_get_userbyid(a.grantee)::text end as grantee,
      ${object}, a.privilege_type::text as privilege, a.is_grantable as grantable
    from ${from}, pg_catalog.aclexplode(${acl}) a
    where a.grantee <> ${owner} and ${where}`;
}

const RELATION_KIND = `case c.relkind when 'S' then 'sequence' else 'table' end`;

const QUERIES = [
  aclRows(
    'pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace',
    'c.relacl',
    'c.relowner',
    `${RELATION_KIND} as kind, n.nspname::text as schema, c.relname::text as name, '' as detail`,
    `c.relnamespace = any($1::oid[]) and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S') and ${notExtensionMember('pg_class', 'c.oid')}`,
  ),
  aclRows(
    `pg_catalog.pg_attribute t join pg_catalog.pg_class c on c.oid = t.attrelid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace`,
    't.attacl',
    'c.relowner',
    `'column' as kind, n.nspname::text as schema, c.relname::text as name, t.attname::text as detail`,
    `c.relnamespace = any($1::oid[]) and t.attnum > 0 and not t.attisdropped and ${notExtensionMember('pg_class', 'c.oid')}`,
  ),
  aclRows(
    'pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace',
    'p.proacl',
    'p.proowner',
    `case p.prokind when 'p' then 'procedure' else 'function' end as kind, n.nspname::text as schema,
      p.proname::text as name, pg_catalog.pg_get_function_identity_arguments(p.oid) as detail`,
    `p.pronamespace = any($1::oid[]) and p.prokind in ('f', 'p') and ${notExtensionMember('pg_proc', 'p.oid')}`,
  ),
  aclRows(
    'pg_catalog.pg_namespace n',
    'n.nspacl',
    'n.nspowner',
    `'schema' as kind, n.nspname::text as schema, n.nspname::text as name, '' as detail`,
    `n.oid = any($1::oid[])`,
  ),
  aclRows(
    'pg_catalog.pg_type y join pg_catalog.pg_namespace n on n.oid = y.typnamespace',
    'y.typacl',
    'y.typowner',
    `case y.typtype when 'd' then 'domain' else 'type' end as kind, n.nspname::text as schema,
      y.typname::text as name, '' as detail`,
    `y.typnamespace = any($1::oid[]) and y.typtype in ('b', 'd', 'e', 'r', 'm') and ${notExtensionMember('pg_type', 'y.oid')}`,
  ),
];

/**
 * Every privilege the source grants to a role of its own (not Supabase's, not Postgres's), on
 * every object of the introspected schemas: relations, columns, sequences, routines, schemas and
 * types. The owner's implicit rights are left out. The plan re-grants exactly these.
 */
export async function readRoleGrants(scope: CatalogScope): Promise<RoleGrant[]> {
  const rows = (await rowsOf<RoleGrantRow>(scope, QUERIES.join('\nunion all\n'))).filter(
    (r) => !isPlatformRole(r.grantee),
  );
  const grants = rows.map((r) => ({
    grantee: r.grantee,
    kind: r.kind,
    schema: r.schema,
    name: r.name,
    ...(r.detail !== '' ? { detail: r.detail } : {}),
    privilege: r.privilege,
    ...(r.grantable ? { grantable: true as const } : {}),
  }));
  return sortByKeys(grants, (g) => [g.grantee, g.kind, g.schema, g.name, g.detail ?? '', g.privilege]);
}
