import type { Trigger } from './snapshot';
import { rowsOf, sortByKeys, type CatalogScope } from './catalog';

interface TriggerRow {
  schema: string;
  table: string;
  name: string;
  definition: string;
  function: string;
  enabled: string;
  is_constraint: boolean;
  comment: string | null;
}

/**
 * User triggers. Internal ones (foreign key enforcement) and the clones a partition receives
 * from a trigger on its partitioned parent are left out: re-creating the source brings them back.
 */
export async function readTriggers(scope: CatalogScope): Promise<Trigger[]> {
  const rows = await rowsOf<TriggerRow>(
    scope,
    `
    select n.nspname::text as schema, c.relname::text as table, t.tgname::text as name,
      pg_catalog.pg_get_triggerdef(t.oid) as definition, fn.nspname || '.' || f.proname as function,
      t.tgenabled::text as enabled, t.tgconstraint <> 0 as is_constraint,
      pg_catalog.obj_description(t.oid, 'pg_trigger') as comment
    from pg_catalog.pg_trigger t
      join pg_catalog.pg_class c on c.oid = t.tgrelid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      join pg_catalog.pg_proc f on f.oid = t.tgfoid
      join pg_catalog.pg_namespace fn on fn.oid = f.pronamespace
    where n.oid = any($1::oid[]) and not t.tgisinternal and t.tgparentid = 0
    order by n.nspname collate "C", c.relname collate "C", t.tgname collate "C"`,
  );
  return sortByKeys(rows, (r) => [r.schema, r.table, r.name]).map((r) => ({
    schema: r.schema,
    table: r.table,
    name: r.name,
    definition: r.definition,
    function: r.function,
    enabled: r.enabled,
    isConstraint: r.is_constraint,
    ...(r.comment !== null ? { comment: r.comment } : {}),
  }));
}
