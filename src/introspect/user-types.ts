import type { CompositeType, DomainType, EnumType } from './snapshot';
import { notExtensionMember, rowsOf, sortByKeys, type CatalogScope } from './catalog';
import type { AttributeRow } from './columns';

interface EnumRow {
  schema: string;
  name: string;
  values: string[];
  comment: string | null;
}

export async function readEnums(scope: CatalogScope): Promise<EnumType[]> {
  const rows = await rowsOf<EnumRow>(
    scope,
    `
    select n.nspname::text as schema, t.typname::text as name,
      array(select e.enumlabel::text from pg_catalog.pg_enum e where e.enumtypid = t.oid order by e.enumsortorder) as values,
      pg_catalog.obj_description(t.oid, 'pg_type') as comment
    from pg_catalog.pg_type t join pg_catalog.pg_namespace n on n.oid = t.typnamespace
    where t.typtype = 'e' and n.oid = any($1::oid[]) and ${notExtensionMember('pg_type', 't.oid')}
    order by n.nspname collate "C", t.typname collate "C"`,
  );
  return sortByKeys(rows, (r) => [r.schema, r.name]).map((r) => ({
    schema: r.schema,
    name: r.name,
    values: r.values,
    comment: r.comment,
  }));
}

interface DomainRow {
  schema: string;
  name: string;
  base_type: string;
  not_null: boolean;
  default: string | null;
  collation: string | null;
  check_names: string[];
  check_defs: string[];
  comment: string | null;
}

export async function readDomains(scope: CatalogScope): Promise<DomainType[]> {
  const rows = await rowsOf<DomainRow>(
    scope,
    `
    select n.nspname::text as schema, t.typname::text as name,
      pg_catalog.format_type(t.typbasetype, t.typtypmod) as base_type, t.typnotnull as not_null,
      pg_catalog.pg_get_expr(t.typdefaultbin, 0) as default,
      (select pg_catalog.format('%I.%I', cn.nspname, co.collname) from pg_catalog.pg_collation co
        join pg_catalog.pg_namespace cn on cn.oid = co.collnamespace
        where co.oid = t.typcollation and t.typcollation <> b.typcollation) as collation,
      array(select c.conname::text from pg_catalog.pg_constraint c where c.contypid = t.oid and c.contype = 'c'
        order by c.conname collate "C") as check_names,
      array(select pg_catalog.pg_get_constraintdef(c.oid) from pg_catalog.pg_constraint c where c.contypid = t.oid and c.contype = 'c'
        order by c.conname collate "C") as check_defs,
      pg_catalog.obj_description(t.oid, 'pg_type') as comment
    from pg_catalog.pg_type t join pg_catalog.pg_namespace n on n.oid = t.typnamespace
      join pg_catalog.pg_type b on b.oid = t.typbasetype
    where t.typtype = 'd' and n.oid = any($1::oid[]) and ${notExtensionMember('pg_type', 't.oid')}
    order by n.nspname collate "C", t.typname collate "C"`,
  );
  return sortByKeys(rows, (r) => [r.schema, r.name]).map((r) => ({
    schema: r.schema,
    name: r.name,
    baseType: r.base_type,
    notNull: r.not_null,
    default: r.default,
    collation: r.collation,
    checks: r.check_names.map((name, i) => ({ name, definition: r.check_defs[i] })),
    comment: r.comment,
  }));
}

interface CompositeRow {
  relid: string;
  schema: string;
  name: string;
  comment: string | null;
}

/** Attributes come from the shared column query, keyed by the type's relation. */
export async function readComposites(
  scope: CatalogScope,
  attributes: Map<string, AttributeRow[]>,
): Promise<CompositeType[]> {
  const rows = await rowsOf<CompositeRow>(
    scope,
    `
    select c.oid::text as relid, n.nspname::text as schema, c.relname::text as name,
      pg_catalog.obj_description(t.oid, 'pg_type') as comment
    from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      join pg_catalog.pg_type t on t.oid = c.reltype
    where c.relkind = 'c' and n.oid = any($1::oid[]) and ${notExtensionMember('pg_type', 't.oid')}
    order by n.nspname collate "C", c.relname collate "C"`,
  );
  return sortByKeys(rows, (r) => [r.schema, r.name]).map((r) => ({
    schema: r.schema,
    name: r.name,
    attributes: (attributes.get(r.relid) ?? []).map((a) => ({ name: a.name, type: a.type, collation: a.collation })),
    comment: r.comment,
  }));
}
