import type { ObjectDependency } from './snapshot';
import { groupBy, rowsOf, sortByKeys, sortedUnique, type CatalogScope } from './catalog';

/**
 * The key of the object a catalog row belongs to, as the planner names objects:
 * `schema.name` for relations and types (they share one namespace), `schema.name(args)` for
 * routines. Parts map to their whole: a column default or a table's row type to its table, a
 * view's rewrite rule to the view, a domain's check to the domain, an array type to its element.
 * Collations and text search objects, which may share a name with a relation, carry their kind, and
 * so does a table's key (`constraint:schema.table.name`) that a view's GROUP BY relies on.
 * Objects outside the introspected schemas, indexes and table constraints give null.
 */
function objectKey(classid: string, objid: string): string {
  const inScope = (ns: string) => `${ns}.oid = any($1::oid[])`;
  const relation = (oid: string) => `(select kn.nspname || '.' || kc.relname from pg_catalog.pg_class kc
      join pg_catalog.pg_namespace kn on kn.oid = kc.relnamespace
      where kc.oid = ${oid} and kc.relkind in ('r', 'p', 'v', 'm', 'f', 'S', 'c') and ${inScope('kn')})`;
  const type = (
    oid: string,
  ) => `(select kn.nspname || '.' || coalesce(kc.relname, kb.typname) from pg_catalog.pg_type kt
      join pg_catalog.pg_type kb on kb.oid = case when kt.typcategory = 'A' and kt.typelem <> 0 then kt.typelem else kt.oid end
      left join pg_catalog.pg_class kc on kc.oid = kb.typrelid
      join pg_catalog.pg_namespace kn on kn.oid = kb.typnamespace
      where kt.oid = ${oid} and ${inScope('kn')})`;
  return `case ${classid}
    when 'pg_catalog.pg_class'::pg_catalog.regclass then ${relation(objid)}
    when 'pg_catalog.pg_type'::pg_catalog.regclass then ${type(objid)}
    when 'pg_catalog.pg_proc'::pg_catalog.regclass then (select kn.nspname || '.' || kp.proname || '('
        || pg_catalog.pg_get_function_identity_arguments(kp.oid) || ')' from pg_catalog.pg_proc kp
      join pg_catalog.pg_namespace kn on kn.oid = kp.pronamespace where kp.oid = ${objid} and ${inScope('kn')})
    when 'pg_catalog.pg_attrdef'::pg_catalog.regclass then
      ${relation(`(select ka.adrelid from pg_catalog.pg_attrdef ka where ka.oid = ${objid})`)}
    when 'pg_catalog.pg_rewrite'::pg_catalog.regclass then
      ${relation(`(select kr.ev_class from pg_catalog.pg_rewrite kr where kr.oid = ${objid} and kr.rulename = '_RETURN')`)}
    when 'pg_catalog.pg_collation'::pg_catalog.regclass then (select 'collation:' || kn.nspname || '.' || kx.collname
      from pg_catalog.pg_collation kx join pg_catalog.pg_namespace kn on kn.oid = kx.collnamespace
      where kx.oid = ${objid} and ${inScope('kn')})
    when 'pg_catalog.pg_ts_dict'::pg_catalog.regclass then (select 'ts-dictionary:' || kn.nspname || '.' || kx.dictname
      from pg_catalog.pg_ts_dict kx join pg_catalog.pg_namespace kn on kn.oid = kx.dictnamespace
      where kx.oid = ${objid} and ${inScope('kn')})
    when 'pg_catalog.pg_ts_config'::pg_catalog.regclass then (select 'ts-config:' || kn.nspname || '.' || kx.cfgname
      from pg_catalog.pg_ts_config kx join pg_catalog.pg_namespace kn on kn.oid = kx.cfgnamespace
      where kx.oid = ${objid} and ${inScope('kn')})
    when 'pg_catalog.pg_operator'::pg_catalog.regclass then (select 'operator:' || kn.nspname || '.' || ko.oprname || '('
        || case when ko.oprleft = 0 then 'none' else pg_catalog.format_type(ko.oprleft, null) end || ','
        || case when ko.oprright = 0 then 'none' else pg_catalog.format_type(ko.oprright, null) end || ')'
      from pg_catalog.pg_operator ko join pg_catalog.pg_namespace kn on kn.oid = ko.oprnamespace
      where ko.oid = ${objid} and ${inScope('kn')} and not exists (select 1 from pg_catalog.pg_depend ke
        where ke.classid = 'pg_catalog.pg_operator'::pg_catalog.regclass and ke.objid = ko.oid and ke.deptype = 'e'))
    when 'pg_catalog.pg_constraint'::pg_catalog.regclass then coalesce(
      ${type(`(select ko.contypid from pg_catalog.pg_constraint ko where ko.oid = ${objid} and ko.contypid <> 0)`)},
      (select 'constraint:' || kn.nspname || '.' || kc.relname || '.' || ko.conname from pg_catalog.pg_constraint ko
        join pg_catalog.pg_class kc on kc.oid = ko.conrelid join pg_catalog.pg_namespace kn on kn.oid = kc.relnamespace
        where ko.oid = ${objid} and ko.contype in ('p', 'u') and ${inScope('kn')}))
    end`;
}

interface EdgeRow {
  object: string;
  depends_on: string;
}

/**
 * What each object of the introspected schemas needs to exist first, from pg_depend: the edges
 * pg_dump sorts by. Only normal dependencies count; ownership of a sequence by a column, the
 * parts of an extension and internal links (a table's row type) are not an order of creation.
 */
export async function readDependencies(scope: CatalogScope): Promise<ObjectDependency[]> {
  const rows = await rowsOf<EdgeRow>(
    scope,
    `
    select distinct e.object, e.depends_on from (
      select ${objectKey('d.classid', 'd.objid')} as object, ${objectKey('d.refclassid', 'd.refobjid')} as depends_on
      from pg_catalog.pg_depend d
      where d.deptype = 'n' and d.classid in ('pg_catalog.pg_class'::pg_catalog.regclass, 'pg_catalog.pg_type'::pg_catalog.regclass,
          'pg_catalog.pg_proc'::pg_catalog.regclass, 'pg_catalog.pg_attrdef'::pg_catalog.regclass,
          'pg_catalog.pg_rewrite'::pg_catalog.regclass, 'pg_catalog.pg_constraint'::pg_catalog.regclass,
          'pg_catalog.pg_ts_config'::pg_catalog.regclass, 'pg_catalog.pg_operator'::pg_catalog.regclass)
    ) e
    where e.object is not null and e.depends_on is not null and e.object <> e.depends_on
      and e.object not like 'constraint:%'
    order by 1, 2`,
  );
  const grouped = groupBy(rows, (r) => r.object);
  const out = [...grouped].map(([object, edges]) => ({
    object: String(object),
    dependsOn: sortedUnique(edges.map((e) => e.depends_on)),
  }));
  return sortByKeys(out, (d) => [d.object]);
}
