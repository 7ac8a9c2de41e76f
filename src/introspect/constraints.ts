import type { Constraint, ConstraintKind } from './snapshot';
import { commentJoin, groupBy, rowsOf, sortByKeys, type CatalogScope } from './catalog';

interface ConstraintRow {
  relid: string;
  name: string;
  kind: ConstraintKind;
  definition: string;
  columns: string[];
  ref_table: string | null;
  ref_columns: string[];
  validated: boolean;
  deferrable: boolean;
  comment: string | null;
}

/**
 * Table constraints keyed by table OID. Constraints a partition or child table received from its
 * parent are left out: re-creating the parent's constraint brings them back.
 * PostgreSQL 18 also stores NOT NULL as constraints (kind n); those live on the columns here.
 */
export async function readConstraints(scope: CatalogScope): Promise<Map<string, Constraint[]>> {
  const rows = await rowsOf<ConstraintRow>(scope, `
    select con.conrelid::text as relid, con.conname::text as name, con.contype::text as kind,
      pg_catalog.pg_get_constraintdef(con.oid) as definition,
      array(select a.attname::text from unnest(con.conkey) with ordinality k(attnum, ord)
        join pg_catalog.pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum order by k.ord) as columns,
      case when con.contype = 'f' then rn.nspname || '.' || rc.relname end as ref_table,
      array(select a.attname::text from unnest(con.confkey) with ordinality k(attnum, ord)
        join pg_catalog.pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum order by k.ord) as ref_columns,
      con.convalidated as validated, con.condeferrable as deferrable,
      ds.description as comment
    from pg_catalog.pg_constraint con
      join pg_catalog.pg_class c on c.oid = con.conrelid
      left join pg_catalog.pg_class rc on rc.oid = con.confrelid
      left join pg_catalog.pg_namespace rn on rn.oid = rc.relnamespace
      ${commentJoin('ds', 'pg_constraint', 'con.oid')}
    where c.relnamespace = any($1::oid[]) and con.contype in ('p', 'u', 'f', 'c', 'x')
      and con.conislocal and con.conparentid = 0
    order by con.conrelid, con.conname collate "C"`);
  const byTable = groupBy(rows, (r) => r.relid) as Map<string, ConstraintRow[]>;
  return new Map([...byTable].map(([relid, list]) => [relid, sortByKeys(list.map(toConstraint), (k) => [k.name])]));
}

function toConstraint(r: ConstraintRow): Constraint {
  return {
    name: r.name,
    kind: r.kind,
    definition: r.definition,
    columns: r.columns,
    refTable: r.ref_table,
    refColumns: r.ref_columns,
    validated: r.validated,
    deferrable: r.deferrable,
    comment: r.comment,
  };
}
