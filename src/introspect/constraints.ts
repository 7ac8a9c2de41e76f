import type { Constraint, ConstraintKind } from './snapshot';
import type { ColumnNames } from './columns';
import { commentJoin, groupBy, rowsOf, sortByKeys, type CatalogScope } from './catalog';

interface ConstraintRow {
  relid: string;
  name: string;
  kind: ConstraintKind;
  definition: string;
  keys: number[];
  ref_table: string | null;
  ref_relid: string;
  ref_keys: number[];
  /** Names of referenced columns, read only when the referenced table is outside the snapshot. */
  outside_ref_columns: string[] | null;
  validated: boolean;
  deferrable: boolean;
  comment: string | null;
}

/**
 * Table constraints keyed by table OID. Constraints a partition or child table received from its
 * parent are left out: re-creating the parent's constraint brings them back.
 * PostgreSQL 18 also stores NOT NULL as constraints (kind n); those live on the columns here.
 */
export async function readConstraints(scope: CatalogScope, names: ColumnNames): Promise<Map<string, Constraint[]>> {
  const rows = await rowsOf<ConstraintRow>(
    scope,
    `
    select con.conrelid::text as relid, con.conname::text as name, con.contype::text as kind,
      pg_catalog.pg_get_constraintdef(con.oid) as definition,
      coalesce(con.conkey::int[], '{}') as keys,
      case when con.contype = 'f' then rn.nspname || '.' || rc.relname end as ref_table,
      con.confrelid::text as ref_relid, coalesce(con.confkey::int[], '{}') as ref_keys,
      case when con.contype = 'f' and rc.relnamespace <> all($1::oid[]) then
        array(select a.attname::text from unnest(con.confkey) with ordinality k(attnum, ord)
          join pg_catalog.pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum order by k.ord)
      end as outside_ref_columns,
      con.convalidated as validated, con.condeferrable as deferrable,
      ds.description as comment
    from pg_catalog.pg_constraint con
      join pg_catalog.pg_class c on c.oid = con.conrelid
      left join pg_catalog.pg_class rc on rc.oid = con.confrelid
      left join pg_catalog.pg_namespace rn on rn.oid = rc.relnamespace
      ${commentJoin('ds', 'pg_constraint', 'con.oid')}
    where c.relnamespace = any($1::oid[]) and con.contype in ('p', 'u', 'f', 'c', 'x')
      and con.conislocal and con.conparentid = 0
    order by con.conrelid, con.conname collate "C"`,
  );
  const byTable = groupBy(rows, (r) => r.relid) as Map<string, ConstraintRow[]>;
  return new Map(
    [...byTable].map(([relid, list]) => [
      relid,
      sortByKeys(
        list.map((r) => toConstraint(r, names)),
        (k) => [k.name],
      ),
    ]),
  );
}

function toConstraint(r: ConstraintRow, names: ColumnNames): Constraint {
  return {
    name: r.name,
    kind: r.kind,
    definition: r.definition,
    columns: r.keys.map((n) => names(r.relid, n)),
    refTable: r.ref_table,
    refColumns: r.outside_ref_columns ?? r.ref_keys.map((n) => names(r.ref_relid, n)),
    validated: r.validated,
    deferrable: r.deferrable,
    comment: r.comment,
  };
}
