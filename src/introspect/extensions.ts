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
