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
    // A routine never granted or revoked has no ACL: Postgres's default (EXECUTE to PUBLIC) holds.
    "coalesce(p.proacl, pg_catalog.acldefault('f', p.proowner))",
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

/** The roles of Supabase's Data API, and PUBLIC: the grants a Supabase source gives them are the application's. */
const API_ROLES = new Set(['anon', 'authenticated', 'service_role', 'public']);

/**
 * Every privilege the source grants on every object of the introspected schemas (relations,
 * columns, sequences, routines, schemas and types), owner's implicit rights left out: `own` to
 * the source's own roles (not Supabase's, not Postgres's), which the plan re-grants exactly;
 * `api` to anon, authenticated, service_role and PUBLIC, which the plan re-grants outside the
 * schemas the Data API exposes (inside them the security section decides, and a Supabase
 * source's EXECUTE grants on its functions are kept exactly).
 */
export async function readRoleGrants(scope: CatalogScope): Promise<{ own: RoleGrant[]; api: RoleGrant[] }> {
  const rows = await rowsOf<RoleGrantRow>(scope, QUERIES.join('\nunion all\n'));
  const grants = rows.map((r) => ({
    grantee: r.grantee,
    kind: r.kind,
    schema: r.schema,
    name: r.name,
    ...(r.detail !== '' ? { detail: r.detail } : {}),
    privilege: r.privilege,
    ...(r.grantable ? { grantable: true as const } : {}),
  }));
  const sorted = sortByKeys(grants, (g) => [g.grantee, g.kind, g.schema, g.name, g.detail ?? '', g.privilege]);
  return {
    own: sorted.filter((g) => !isPlatformRole(g.grantee)),
    api: sorted.filter((g) => API_ROLES.has(g.grantee)),
  };
}
