import type { Column, IdentityOptions } from './snapshot';
import { commentJoin, flagOrNull, groupBy, rowsOf, type CatalogScope } from './catalog';

export interface AttributeRow {
  relid: string;
  attnum: number;
  name: string;
  position: number;
  type: string;
  type_schema: string;
  type_name: string;
  is_array: boolean;
  not_null: boolean;
  default: string | null;
  identity: string;
  generated: string | null;
  collation: string | null;
  comment: string | null;
  storage: 'p' | 'e' | 'm' | 'x' | null;
  statistics: number | null;
  options: string[] | null;
}

/**
 * Live columns of every relation kind that has them (tables, views, composite types, foreign
 * tables) in one query, grouped by relation OID; each reader picks the relations it lists.
 */
export async function readAttributes(scope: CatalogScope): Promise<Map<string, AttributeRow[]>> {
  const rows = await rowsOf<AttributeRow>(
    scope,
    `
    select a.attrelid::text as relid, a.attnum::int as attnum, a.attname::text as name,
      pg_catalog.format_type(a.atttypid, a.atttypmod) as type,
      en.nspname::text as type_schema, et.typname::text as type_name, et.oid <> t.oid as is_array,
      a.attnotnull as not_null,
      case when a.attgenerated = '' then pg_catalog.pg_get_expr(d.adbin, d.adrelid) end as default,
      a.attidentity::text as identity,
      case when a.attgenerated <> '' then pg_catalog.pg_get_expr(d.adbin, d.adrelid) end as generated,
      (select pg_catalog.format('%I.%I', cn.nspname, co.collname) from pg_catalog.pg_collation co
        join pg_catalog.pg_namespace cn on cn.oid = co.collnamespace
        where co.oid = a.attcollation and a.attcollation <> t.typcollation) as collation,
      ds.description as comment,
      case when a.attstorage <> t.typstorage then a.attstorage::text end as storage,
      case when a.attstattarget >= 0 then a.attstattarget::int end as statistics,
      -- only the options ALTER COLUMN ... SET accepts: some builds keep private entries in attoptions
      array(select o from pg_catalog.unnest(a.attoptions) o
        where o like 'n_distinct=%' or o like 'n_distinct_inherited=%' order by o) as options
    from pg_catalog.pg_attribute a
      join pg_catalog.pg_class c on c.oid = a.attrelid
      join pg_catalog.pg_type t on t.oid = a.atttypid
      join pg_catalog.pg_type et on et.oid = case when t.typsubscript = 'pg_catalog.array_subscript_handler'::pg_catalog.regproc
        then t.typelem else t.oid end
      join pg_catalog.pg_namespace en on en.oid = et.typnamespace
      left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      ${commentJoin('ds', 'pg_class', 'a.attrelid', 'a.attnum')}
    where c.relnamespace = any($1::oid[]) and c.relkind in ('r', 'p', 'v', 'm', 'c', 'f')
      and a.attnum > 0 and not a.attisdropped
    order by a.attrelid, a.attnum`,
  );
  const byRelation = groupBy(rows, (r) => r.relid) as Map<string, AttributeRow[]>;
  // Positions count live columns only, so a dropped column leaves no gap.
  for (const list of byRelation.values()) list.forEach((a, i) => (a.position = i + 1));
  return byRelation;
}

export type ColumnNames = (relid: string, attnum: number) => string;

/** Looks column names up by relation and attribute number, so catalog queries need not join pg_attribute again. */
export function columnNames(attributes: Map<string, AttributeRow[]>): ColumnNames {
  const names = new Map<string, string>();
  for (const [relid, list] of attributes) for (const a of list) names.set(`${relid}:${a.attnum}`, a.name);
  return (relid, attnum) => names.get(`${relid}:${attnum}`) ?? `#${attnum}`;
}

export function toColumn(a: AttributeRow, identitySequence: IdentityOptions | null): Column {
  return {
    name: a.name,
    position: a.position,
    type: a.type,
    typeSchema: a.type_schema,
    typeName: a.type_name,
    isArray: a.is_array,
    notNull: a.not_null,
    default: a.default,
    identity: flagOrNull<'a' | 'd'>(a.identity),
    identitySequence,
    generated: a.generated,
    collation: a.collation,
    comment: a.comment,
    ...(a.storage ? { storage: a.storage } : {}),
    ...(a.statistics !== null ? { statistics: a.statistics } : {}),
    ...(a.options && a.options.length > 0 ? { options: [...a.options].sort() } : {}),
  };
}
