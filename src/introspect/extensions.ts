import type { Extension } from './snapshot';
import { sortByKeys, sortedUnique } from './catalog';
import type { Db } from '../db';

interface ExtensionRow {
  name: string;
  schema: string;
  version: string;
  members: string[];
}

/**
 * Every installed extension, whatever schema it lives in: application tables depend on them
 * even when the extension sits in a platform schema such as `extensions`.
 */
export async function readExtensions(db: Db): Promise<Extension[]> {
  const { rows } = await db.query<ExtensionRow>(`
    select e.extname::text as name, n.nspname::text as schema, e.extversion::text as version,
      array(
        select mn.nspname || '.' || t.typname from pg_catalog.pg_depend d
          join pg_catalog.pg_type t on t.oid = d.objid join pg_catalog.pg_namespace mn on mn.oid = t.typnamespace
        where d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass and d.refobjid = e.oid and d.deptype = 'e'
          and d.classid = 'pg_catalog.pg_type'::pg_catalog.regclass
        union
        select mn.nspname || '.' || p.proname from pg_catalog.pg_depend d
          join pg_catalog.pg_proc p on p.oid = d.objid join pg_catalog.pg_namespace mn on mn.oid = p.pronamespace
        where d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass and d.refobjid = e.oid and d.deptype = 'e'
          and d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
        union
        -- Operator classes and families, operators and text search objects are referenced by
        -- qualified name too (an index's public.gin_trgm_ops, a 'public.unaccent' dictionary).
        select mn.nspname || '.' || m.name from pg_catalog.pg_depend d
          join lateral (
            select c.opcname, c.opcnamespace from pg_catalog.pg_opclass c where d.classid = 'pg_catalog.pg_opclass'::pg_catalog.regclass and c.oid = d.objid
            union all select f.opfname, f.opfnamespace from pg_catalog.pg_opfamily f where d.classid = 'pg_catalog.pg_opfamily'::pg_catalog.regclass and f.oid = d.objid
            union all select o.oprname, o.oprnamespace from pg_catalog.pg_operator o where d.classid = 'pg_catalog.pg_operator'::pg_catalog.regclass and o.oid = d.objid
            union all select t.dictname, t.dictnamespace from pg_catalog.pg_ts_dict t where d.classid = 'pg_catalog.pg_ts_dict'::pg_catalog.regclass and t.oid = d.objid
            union all select t.tmplname, t.tmplnamespace from pg_catalog.pg_ts_template t where d.classid = 'pg_catalog.pg_ts_template'::pg_catalog.regclass and t.oid = d.objid
            union all select t.cfgname, t.cfgnamespace from pg_catalog.pg_ts_config t where d.classid = 'pg_catalog.pg_ts_config'::pg_catalog.regclass and t.oid = d.objid
          ) as m(name, ns) on true
          join pg_catalog.pg_namespace mn on mn.oid = m.ns
        where d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass and d.refobjid = e.oid and d.deptype = 'e'
        order by 1) as members
    from pg_catalog.pg_extension e join pg_catalog.pg_namespace n on n.oid = e.extnamespace
    order by e.extname collate "C"`);
  return sortByKeys(rows, (r) => [r.name]).map((r) => ({
    name: r.name,
    schema: r.schema,
    version: r.version,
    members: sortedUnique(r.members),
  }));
}
