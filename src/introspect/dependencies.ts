import type { ObjectDependency } from './snapshot';
import { groupBy, rowsOf, sortByKeys, sortedUnique, type CatalogScope } from './catalog';

const inScope = (ns: string) => `${ns}.oid = any($1::oid[])`;
const catalog = (name: string) => `'pg_catalog.${name}'::pg_catalog.regclass::pg_catalog.oid`;

/**
 * Keys of relations and types of the introspected schemas, as the planner names objects:
 * `schema.name` (they share one namespace). A table's row type and an array type map to their
 * relation or element.
 */
const RELATION_AND_TYPE_KEYS = `
  relation_keys as (
    select kc.oid as objid, kn.nspname || '.' || kc.relname as key from pg_catalog.pg_class kc
      join pg_catalog.pg_namespace kn on kn.oid = kc.relnamespace
    where kc.relkind in ('r', 'p', 'v', 'm', 'f', 'S', 'c') and ${inScope('kn')}),
  type_keys as (
    select kt.oid as objid, kn.nspname || '.' || coalesce(kc.relname, kb.typname) as key from pg_catalog.pg_type kt
      join pg_catalog.pg_type kb on kb.oid = case when kt.typcategory = 'A' and kt.typelem <> 0 then kt.typelem else kt.oid end
      left join pg_catalog.pg_class kc on kc.oid = kb.typrelid
      join pg_catalog.pg_namespace kn on kn.oid = kb.typnamespace
    where ${inScope('kn')})`;

/**
 * The key of every object a dependency row may name, by (catalog, oid). Parts map to their whole:
 * a column default to its table, a view's rewrite rule to the view, a domain's check to the domain.
 * Collations, text search objects and operators, which may share a name with a relation, carry
 * their kind, and so does a table's key (`constraint:schema.table.name`) that a view's GROUP BY
 * relies on. Objects outside the introspected schemas, indexes and other table constraints have
 * no key. One pass per catalog, joined to pg_depend, instead of subqueries per dependency row.
 */
const OBJECT_KEYS = `${RELATION_AND_TYPE_KEYS},
  object_keys as (
    select ${catalog('pg_class')} as classid, objid, key from relation_keys
    union all select ${catalog('pg_type')}, objid, key from type_keys
    union all select ${catalog('pg_proc')}, kp.oid, kn.nspname || '.' || kp.proname || '('
        || pg_catalog.pg_get_function_identity_arguments(kp.oid) || ')' from pg_catalog.pg_proc kp
      join pg_catalog.pg_namespace kn on kn.oid = kp.pronamespace where ${inScope('kn')}
    union all select ${catalog('pg_attrdef')}, ka.oid, r.key from pg_catalog.pg_attrdef ka
      join relation_keys r on r.objid = ka.adrelid
    union all select ${catalog('pg_rewrite')}, kr.oid, r.key from pg_catalog.pg_rewrite kr
      join relation_keys r on r.objid = kr.ev_class where kr.rulename = '_RETURN'
    union all select ${catalog('pg_collation')}, kx.oid, 'collation:' || kn.nspname || '.' || kx.collname
      from pg_catalog.pg_collation kx join pg_catalog.pg_namespace kn on kn.oid = kx.collnamespace where ${inScope('kn')}
    union all select ${catalog('pg_ts_dict')}, kx.oid, 'ts-dictionary:' || kn.nspname || '.' || kx.dictname
      from pg_catalog.pg_ts_dict kx join pg_catalog.pg_namespace kn on kn.oid = kx.dictnamespace where ${inScope('kn')}
    union all select ${catalog('pg_ts_config')}, kx.oid, 'ts-config:' || kn.nspname || '.' || kx.cfgname
      from pg_catalog.pg_ts_config kx join pg_catalog.pg_namespace kn on kn.oid = kx.cfgnamespace where ${inScope('kn')}
    union all select ${catalog('pg_operator')}, ko.oid, 'operator:' || kn.nspname || '.' || ko.oprname || '('
        || case when ko.oprleft = 0 then 'none' else pg_catalog.format_type(ko.oprleft, null) end || ','
        || case when ko.oprright = 0 then 'none' else pg_catalog.format_type(ko.oprright, null) end || ')'
      from pg_catalog.pg_operator ko join pg_catalog.pg_namespace kn on kn.oid = ko.oprnamespace
      where ${inScope('kn')} and not exists (select 1 from pg_catalog.pg_depend ke
        where ke.classid = ${catalog('pg_operator')} and ke.objid = ko.oid and ke.deptype = 'e')
    union all select ${catalog('pg_constraint')}, ko.oid, coalesce(t.key, case when ko.contype in ('p', 'u')
        and ${inScope('kn')} then 'constraint:' || kn.nspname || '.' || kc.relname || '.' || ko.conname end)
      from pg_catalog.pg_constraint ko
      left join type_keys t on ko.contypid <> 0 and t.objid = ko.contypid
      left join pg_catalog.pg_class kc on kc.oid = ko.conrelid
      left join pg_catalog.pg_namespace kn on kn.oid = kc.relnamespace)`;

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
    with ${OBJECT_KEYS}
    select distinct o.key as object, r.key as depends_on
    from pg_catalog.pg_depend d
      join object_keys o on o.classid = d.classid and o.objid = d.objid
      join object_keys r on r.classid = d.refclassid and r.objid = d.refobjid
    where d.deptype = 'n' and d.classid in (${[
      'pg_class',
      'pg_type',
      'pg_proc',
      'pg_attrdef',
      'pg_rewrite',
      'pg_constraint',
      'pg_ts_config',
      'pg_operator',
    ]
      .map(catalog)
      .join(', ')})
      and o.key is not null and r.key is not null and o.key <> r.key and o.key not like 'constraint:%'
    order by 1, 2`,
  );
  const grouped = groupBy(rows, (r) => r.object);
  const out = [...grouped].map(([object, edges]) => ({
    object: String(object),
    dependsOn: sortedUnique(edges.map((e) => e.depends_on)),
  }));
  return sortByKeys(out, (d) => [d.object]);
}
