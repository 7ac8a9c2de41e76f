import type { Index } from './snapshot';
import type { ColumnNames } from './columns';
import { commentJoin, groupBy, rowsOf, sortByKeys, type CatalogScope } from './catalog';

interface IndexRow {
  relid: string;
  name: string;
  definition: string;
  unique: boolean;
  primary: boolean;
  constraint: string | null;
  keys: number[];
  /** Printed key columns, read only for indexes with an expression key. */
  key_texts: string[] | null;
  partial: boolean;
  stats: { column: number; target: number }[];
  comment: string | null;
}

/**
 * Indexes of tables and materialized views keyed by relation OID. An index that is a partition
 * of a partitioned index is left out: the parent index creates it on every partition.
 * `columns` holds the key columns; an expression key appears as its expression text.
 */
export async function readIndexes(scope: CatalogScope, names: ColumnNames): Promise<Map<string, Index[]>> {
  const rows = await rowsOf<IndexRow>(
    scope,
    `
    select i.indrelid::text as relid, ic.relname::text as name,
      pg_catalog.pg_get_indexdef(i.indexrelid) as definition,
      i.indisunique as unique, i.indisprimary as primary,
      con.conname::text as constraint,
      (i.indkey::int2[])[pg_catalog.array_lower(i.indkey::int2[], 1):pg_catalog.array_lower(i.indkey::int2[], 1) + i.indnkeyatts - 1]::int[]
        as keys,
      case when 0 = any(i.indkey::int2[]) then array(select pg_catalog.pg_get_indexdef(i.indexrelid, k, false)
        from generate_series(1, i.indnkeyatts::int) k order by k) end as key_texts,
      i.indpred is not null as partial,
      -- ALTER INDEX ... ALTER COLUMN n SET STATISTICS, which only an expression column takes
      array(select pg_catalog.jsonb_build_object('column', ia.attnum, 'target', ia.attstattarget) from pg_catalog.pg_attribute ia
        where ia.attrelid = i.indexrelid and ia.attstattarget > 0 order by ia.attnum) as stats,
      ds.description as comment
    from pg_catalog.pg_index i
      join pg_catalog.pg_class ic on ic.oid = i.indexrelid
      join pg_catalog.pg_class c on c.oid = i.indrelid
      left join pg_catalog.pg_constraint con on con.conindid = i.indexrelid and con.conrelid = i.indrelid
        and con.contype in ('p', 'u', 'x')
      ${commentJoin('ds', 'pg_class', 'i.indexrelid')}
    where c.relnamespace = any($1::oid[]) and c.relkind in ('r', 'p', 'm')
      and not exists (select 1 from pg_catalog.pg_inherits inh where inh.inhrelid = i.indexrelid)
    order by i.indrelid, ic.relname collate "C"`,
  );
  const byRelation = groupBy(rows, (r) => r.relid) as Map<string, IndexRow[]>;
  return new Map(
    [...byRelation].map(([relid, list]) => [
      relid,
      sortByKeys(
        list.map((r) => toIndex(r, names)),
        (k) => [k.name],
      ),
    ]),
  );
}

function toIndex(r: IndexRow, names: ColumnNames): Index {
  return {
    name: r.name,
    definition: r.definition,
    unique: r.unique,
    primary: r.primary,
    constraint: r.constraint,
    columns: r.keys.map((n, k) => (n > 0 ? names(r.relid, n) : (r.key_texts?.[k] ?? ''))),
    partial: r.partial,
    ...(r.stats.length > 0 ? { statistics: r.stats } : {}),
    comment: r.comment,
  };
}
