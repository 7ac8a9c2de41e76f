import type { Index } from './snapshot';
import { commentJoin, groupBy, rowsOf, sortByKeys, type CatalogScope } from './catalog';

interface IndexRow {
  relid: string;
  name: string;
  definition: string;
  unique: boolean;
  primary: boolean;
  constraint: string | null;
  columns: string[];
  partial: boolean;
  comment: string | null;
}

/**
 * Indexes of tables and materialized views keyed by relation OID. An index that is a partition
 * of a partitioned index is left out: the parent index creates it on every partition.
 * `columns` holds the key columns; an expression key appears as its expression text.
 */
export async function readIndexes(scope: CatalogScope): Promise<Map<string, Index[]>> {
  const rows = await rowsOf<IndexRow>(scope, `
    select i.indrelid::text as relid, ic.relname::text as name,
      pg_catalog.pg_get_indexdef(i.indexrelid) as definition,
      i.indisunique as unique, i.indisprimary as primary,
      con.conname::text as constraint,
      array(select case when k.attnum > 0 then a.attname::text
          else pg_catalog.pg_get_indexdef(i.indexrelid, k.ord::int, false) end
        from unnest(i.indkey::int2[]) with ordinality k(attnum, ord)
        left join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
        where k.ord <= i.indnkeyatts order by k.ord) as columns,
      i.indpred is not null as partial,
      ds.description as comment
    from pg_catalog.pg_index i
      join pg_catalog.pg_class ic on ic.oid = i.indexrelid
      join pg_catalog.pg_class c on c.oid = i.indrelid
      left join pg_catalog.pg_constraint con on con.conindid = i.indexrelid and con.conrelid = i.indrelid
        and con.contype in ('p', 'u', 'x')
      ${commentJoin('ds', 'pg_class', 'i.indexrelid')}
    where c.relnamespace = any($1::oid[]) and c.relkind in ('r', 'p', 'm')
      and not exists (select 1 from pg_catalog.pg_inherits inh where inh.inhrelid = i.indexrelid)
    order by i.indrelid, ic.relname collate "C"`);
  const byRelation = groupBy(rows, (r) => r.relid) as Map<string, IndexRow[]>;
  return new Map([...byRelation].map(([relid, list]) => [relid, sortByKeys(list.map(toIndex), (k) => [k.name])]));
}

function toIndex(r: IndexRow): Index {
  return {
    name: r.name,
    definition: r.definition,
    unique: r.unique,
    primary: r.primary,
    constraint: r.constraint,
    columns: r.columns,
    partial: r.partial,
    comment: r.comment,
  };
}
