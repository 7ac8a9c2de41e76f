import { withDb } from '../../src/db';

/**
 * What the every-kind round trips (server and PGlite) share: test/fixtures/every-kind.sql's
 * objects that Supabase cannot hold (skipped on purpose, so left out of the dumps), and the
 * fixture's objects counted per kind from the catalog.
 */
export const SKIPPED = [/lo_manage/, /internal_now/, /item_ops/, /kinds_fdw/, /kinds_files/, /USER MAPPING/, /kinds_everything/];

/** Objects of the fixture's schema, per kind, straight from the catalog (extensions' members left out). */
const CATALOG_COUNTS = `
  with ns as (select oid from pg_namespace where nspname = 'kinds'),
  ext as (select classid, objid from pg_depend where deptype = 'e')
  select k, n::int from (
    select 'routine' k, count(*) n from pg_proc where pronamespace in (select oid from ns)
      and (tableoid, oid) not in (select classid, objid from ext)
    union all select 'statistics', count(*) from pg_statistic_ext where stxnamespace in (select oid from ns)
    union all select 'rule', count(*) from pg_rewrite r join pg_class c on c.oid = r.ev_class
      where c.relnamespace in (select oid from ns) and r.rulename <> '_RETURN'
    union all select 'cast', count(*) from pg_cast where oid >= 16384 and (tableoid, oid) not in (select classid, objid from ext)
    union all select 'operator', count(*) from pg_operator where oprnamespace in (select oid from ns)
    union all select 'operator family', count(*) from pg_opfamily where opfnamespace in (select oid from ns)
    union all select 'foreign data wrapper', count(*) from pg_foreign_data_wrapper where (tableoid, oid) not in (select classid, objid from ext)
    union all select 'server', count(*) from pg_foreign_server
    union all select 'user mapping', count(*) from pg_user_mapping
    union all select 'foreign table', count(*) from pg_foreign_table f join pg_class c on c.oid = f.ftrelid where c.relnamespace in (select oid from ns)
    union all select 'publication', count(*) from pg_publication where pubname <> 'supabase_realtime'
    union all select 'event trigger', count(*) from pg_event_trigger
  ) c order by k`;

export async function catalogCounts(url: string): Promise<Record<string, number>> {
  const r = await withDb(url, (db) => db.query<{ k: string; n: number }>(CATALOG_COUNTS));
  return Object.fromEntries(r.rows.map((row) => [row.k, row.n]));
}

