import type { RangeType } from './snapshot';
import { notExtensionMember, rowsOf, sortByKeys, type CatalogScope } from './catalog';

interface RangeRow {
  schema: string;
  name: string;
  subtype: string;
  opclass: string | null;
  collation: string | null;
  canonical: string | null;
  subtype_diff: string | null;
  multirange: string;
  comment: string | null;
}

/**
 * Range types. Postgres creates their constructor functions and multirange type itself, so only
 * the CREATE TYPE ... AS RANGE options are read; the opclass is kept only when it is not the
 * subtype's default, the collation only when it is not the subtype's.
 */
export async function readRanges(scope: CatalogScope): Promise<RangeType[]> {
  const rows = await rowsOf<RangeRow>(
    scope,
    `
    select n.nspname::text as schema, t.typname::text as name, pg_catalog.format_type(r.rngsubtype, null) as subtype,
      (select pg_catalog.quote_ident(on_.nspname) || '.' || pg_catalog.quote_ident(oc.opcname) from pg_catalog.pg_opclass oc
        join pg_catalog.pg_namespace on_ on on_.oid = oc.opcnamespace where oc.oid = r.rngsubopc and not oc.opcdefault) as opclass,
      (select pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) from pg_catalog.pg_collation co
        join pg_catalog.pg_namespace cn on cn.oid = co.collnamespace
        where co.oid = r.rngcollation and r.rngcollation <> st.typcollation) as collation,
      case when r.rngcanonical <> 0 then r.rngcanonical::pg_catalog.regproc::text end as canonical,
      case when r.rngsubdiff <> 0 then r.rngsubdiff::pg_catalog.regproc::text end as subtype_diff,
      pg_catalog.quote_ident(mn.nspname) || '.' || pg_catalog.quote_ident(mt.typname) as multirange,
      pg_catalog.obj_description(t.oid, 'pg_type') as comment
    from pg_catalog.pg_range r join pg_catalog.pg_type t on t.oid = r.rngtypid
      join pg_catalog.pg_namespace n on n.oid = t.typnamespace
      join pg_catalog.pg_type st on st.oid = r.rngsubtype
      join pg_catalog.pg_type mt on mt.oid = r.rngmultitypid join pg_catalog.pg_namespace mn on mn.oid = mt.typnamespace
    where n.oid = any($1::oid[]) and ${notExtensionMember('pg_type', 't.oid')}
    order by n.nspname collate "C", t.typname collate "C"`,
  );
  return sortByKeys(rows, (r) => [r.schema, r.name]).map((r) => ({
    schema: r.schema,
    name: r.name,
    subtype: r.subtype,
    subtypeOpclass: r.opclass,
    collation: r.collation,
    canonical: r.canonical,
    subtypeDiff: r.subtype_diff,
    multirange: r.multirange,
    comment: r.comment,
  }));
}
