import type { Db } from '../db';
import type { Policy } from './snapshot';
import { rowsOf, sortByKeys, sortedUnique, type CatalogScope } from './catalog';

interface PolicyRow {
  schema: string;
  table: string;
  name: string;
  permissive: boolean;
  command: Policy['command'];
  roles: string[];
  using: string | null;
  with_check: string | null;
  comment: string | null;
}

const POLICY_COLUMNS = `
    select n.nspname::text as schema, c.relname::text as table, p.polname::text as name,
      p.polpermissive as permissive, p.polcmd::text as command,
      array(select case when r.oid = 0 then 'public' else pg_catalog.pg_get_userbyid(r.oid)::text end
        from unnest(p.polroles) r(oid) order by 1) as roles,
      pg_catalog.pg_get_expr(p.polqual, p.polrelid) as using,
      pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) as with_check,
      pg_catalog.obj_description(p.oid, 'pg_policy') as comment
    from pg_catalog.pg_policy p
      join pg_catalog.pg_class c on c.oid = p.polrelid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace`;
const ORDER = `order by n.nspname collate "C", c.relname collate "C", p.polname collate "C"`;

export async function readPolicies(scope: CatalogScope): Promise<Policy[]> {
  return toPolicies(await rowsOf<PolicyRow>(scope, `${POLICY_COLUMNS} where n.oid = any($1::oid[]) ${ORDER}`));
}

/**
 * Policies of a Supabase-native source on Supabase's storage tables (who may read which files):
 * the tables are Supabase's, the policies the application's.
 */
export async function readStoragePolicies(db: Db): Promise<Policy[]> {
  const { rows } = await db.query<PolicyRow>(
    `${POLICY_COLUMNS} where n.nspname = 'storage' and c.relname in ('objects', 'buckets') ${ORDER}`,
  );
  return toPolicies(rows);
}

function toPolicies(rows: PolicyRow[]): Policy[] {
  return sortByKeys(rows, (r) => [r.schema, r.table, r.name]).map((r) => ({
    schema: r.schema,
    table: r.table,
    name: r.name,
    permissive: r.permissive,
    command: r.command,
    roles: sortedUnique(r.roles),
    using: r.using,
    withCheck: r.with_check,
    ...(r.comment !== null ? { comment: r.comment } : {}),
  }));
}
