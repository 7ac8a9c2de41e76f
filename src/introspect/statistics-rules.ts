import type { Rule, StatisticsObject } from './snapshot';
import { rowsOf, sortByKeys, type CatalogScope } from './catalog';

const description = (alias: string, catalog: string, oid: string) =>
  `(select ${alias}.description from pg_catalog.pg_description ${alias}
    where ${alias}.objoid = ${oid} and ${alias}.classoid = 'pg_catalog.${catalog}'::pg_catalog.regclass and ${alias}.objsubid = 0)`;

/**
 * Extended statistics (CREATE STATISTICS) of the introspected schemas. An unset statistics
 * target is -1 up to PostgreSQL 16 and null from 17, so it is read from the row as JSON.
 */
export async function readStatistics(scope: CatalogScope): Promise<StatisticsObject[]> {
  const rows = await rowsOf<Omit<StatisticsObject, 'target'> & { target: string | null }>(
    scope,
    `select n.nspname::text as schema, s.stxname::text as name, tn.nspname || '.' || t.relname as table,
      pg_catalog.pg_get_statisticsobjdef(s.oid) as definition,
      nullif(nullif(pg_catalog.to_jsonb(s) ->> 'stxstattarget', '-1'), '') as target,
      ${description('sd', 'pg_statistic_ext', 's.oid')} as comment
    from pg_catalog.pg_statistic_ext s join pg_catalog.pg_namespace n on n.oid = s.stxnamespace
      join pg_catalog.pg_class t on t.oid = s.stxrelid join pg_catalog.pg_namespace tn on tn.oid = t.relnamespace
    where s.stxnamespace = any($1::oid[])
    order by n.nspname collate "C", s.stxname collate "C"`,
  );
  return sortByKeys(rows, (r) => [r.schema, r.name]).map((r) => ({
    schema: r.schema,
    name: r.name,
    table: r.table,
    definition: r.definition,
    target: r.target === null ? null : Number(r.target),
    comment: r.comment,
  }));
}

/** Rewrite rules other than the `_RETURN` rule that makes a view. */
export async function readRules(scope: CatalogScope): Promise<Rule[]> {
  const rows = await rowsOf<Rule>(
    scope,
    `select n.nspname::text as schema, c.relname::text as "table", r.rulename::text as name,
      pg_catalog.pg_get_ruledef(r.oid) as definition, r.ev_enabled::text as enabled,
      ${description('rd', 'pg_rewrite', 'r.oid')} as comment
    from pg_catalog.pg_rewrite r join pg_catalog.pg_class c on c.oid = r.ev_class
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where c.relnamespace = any($1::oid[]) and r.rulename <> '_RETURN'
    order by n.nspname collate "C", c.relname collate "C", r.rulename collate "C"`,
  );
  return sortByKeys(rows, (r) => [r.schema, r.table, r.name]);
}

export { description as descriptionOf };
