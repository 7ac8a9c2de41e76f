import type { CatalogOnlyObject, EventTrigger, ForeignServer, ForeignTable, Publication } from './snapshot';
import { rowsOf, sortByKeys, type CatalogScope } from './catalog';
import { descriptionOf } from './statistics-rules';

const options = (
  column: string,
) => `array(select pg_catalog.quote_ident(o.option_name) || ' ' || pg_catalog.quote_literal(o.option_value)
  from pg_catalog.pg_options_to_table(${column}) o order by o.option_name collate "C")`;
const extensionOf = (catalog: string, oid: string) => `(select e.extname::text from pg_catalog.pg_depend d
  join pg_catalog.pg_extension e on e.oid = d.refobjid
  where d.classid = 'pg_catalog.${catalog}'::pg_catalog.regclass and d.objid = ${oid} and d.deptype = 'e')`;

/**
 * Foreign servers (a server has no schema: all of the database's are read) and the user
 * mappings' roles; mapping options hold credentials and are never read.
 */
export async function readForeignServers(scope: CatalogScope): Promise<ForeignServer[]> {
  const rows = await rowsOf<ForeignServer>(
    scope,
    `select s.srvname::text as name, w.fdwname::text as wrapper,
      coalesce(${extensionOf('pg_foreign_data_wrapper', 'w.oid')}, ${extensionOf('pg_proc', 'w.fdwhandler')}) as "wrapperExtension",
      s.srvtype as type, s.srvversion as version, ${options('s.srvoptions')} as options,
      array(select case when um.umuser = 0 then 'public' else pg_catalog.pg_get_userbyid(um.umuser)::text end
        from pg_catalog.pg_user_mappings um where um.srvid = s.oid order by 1) as "userMappings",
      ${descriptionOf('sd', 'pg_foreign_server', 's.oid')} as comment
    from pg_catalog.pg_foreign_server s join pg_catalog.pg_foreign_data_wrapper w on w.oid = s.srvfdw
    where $1::oid[] is not null and s.oid >= 16384
    order by s.srvname collate "C"`,
  );
  return sortByKeys(rows, (r) => [r.name]);
}

export async function readForeignTables(scope: CatalogScope): Promise<ForeignTable[]> {
  const rows = await rowsOf<ForeignTable>(
    scope,
    `select n.nspname::text as schema, c.relname::text as name, s.srvname::text as server,
      array(select pg_catalog.jsonb_build_object('name', a.attname, 'type', pg_catalog.format_type(a.atttypid, a.atttypmod),
          'notNull', a.attnotnull, 'options', ${options('a.attfdwoptions')})
        from pg_catalog.pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped order by a.attnum) as columns,
      ${options('ft.ftoptions')} as options, ${descriptionOf('fd', 'pg_class', 'c.oid')} as comment
    from pg_catalog.pg_foreign_table ft join pg_catalog.pg_class c on c.oid = ft.ftrelid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace join pg_catalog.pg_foreign_server s on s.oid = ft.ftserver
    where c.relnamespace = any($1::oid[])
    order by n.nspname collate "C", c.relname collate "C"`,
  );
  return sortByKeys(rows, (r) => [r.schema, r.name]);
}

/**
 * Publications other than Supabase's own `supabase_realtime` (carried by the realtime spec), with
 * the tables of the introspected schemas they publish, their column lists and row filters.
 */
export async function readPublications(scope: CatalogScope): Promise<Publication[]> {
  const rows = await rowsOf<Publication>(
    scope,
    `select p.pubname::text as name, p.puballtables as "allTables",
      array(select pn.nspname::text from pg_catalog.pg_publication_namespace pp join pg_catalog.pg_namespace pn on pn.oid = pp.pnnspid
        where pp.pnpubid = p.oid order by 1) as schemas,
      array(select pg_catalog.jsonb_build_object('table', rn.nspname || '.' || rc.relname,
          'columns', case when pr.prattrs is null then null else (select pg_catalog.jsonb_agg(a.attname order by a.attnum)
            from pg_catalog.pg_attribute a where a.attrelid = pr.prrelid and a.attnum = any(pr.prattrs)) end,
          'where', pg_catalog.pg_get_expr(pr.prqual, pr.prrelid))
        from pg_catalog.pg_publication_rel pr join pg_catalog.pg_class rc on rc.oid = pr.prrelid
          join pg_catalog.pg_namespace rn on rn.oid = rc.relnamespace
        where pr.prpubid = p.oid and rc.relnamespace = any($1::oid[]) order by rn.nspname collate "C", rc.relname collate "C") as tables,
      array_remove(array[case when p.pubinsert then 'insert' end, case when p.pubupdate then 'update' end,
        case when p.pubdelete then 'delete' end, case when p.pubtruncate then 'truncate' end], null) as actions,
      p.pubviaroot as "viaRoot", ${descriptionOf('pd', 'pg_publication', 'p.oid')} as comment
    from pg_catalog.pg_publication p
    where p.pubname <> 'supabase_realtime'
    order by p.pubname collate "C"`,
  );
  return sortByKeys(rows, (r) => [r.name]);
}

/** Event triggers whose function lives in an introspected schema (the platform's own are not the application's). */
export async function readEventTriggers(scope: CatalogScope): Promise<EventTrigger[]> {
  const rows = await rowsOf<EventTrigger>(
    scope,
    `select et.evtname::text as name, et.evtevent::text as event, coalesce(et.evttags, array[]::text[]) as tags,
      fn.nspname || '.' || f.proname || '()' as function, et.evtfoid::pg_catalog.regproc::text as procedure,
      et.evtenabled::text as enabled, ${descriptionOf('ed', 'pg_event_trigger', 'et.oid')} as comment
    from pg_catalog.pg_event_trigger et join pg_catalog.pg_proc f on f.oid = et.evtfoid
      join pg_catalog.pg_namespace fn on fn.oid = f.pronamespace
    where f.pronamespace = any($1::oid[]) and ${extensionOf('pg_event_trigger', 'et.oid')} is null
    order by et.evtname collate "C"`,
  );
  return sortByKeys(rows, (r) => [r.name]);
}

/**
 * What the snapshot names only to report it: operator classes and families, foreign-data
 * wrappers made by hand, base and shell types. None is an extension's.
 */
export async function readCatalogOnly(scope: CatalogScope): Promise<CatalogOnlyObject[]> {
  const rows = await rowsOf<CatalogOnlyObject>(
    scope,
    `select 'operator-class' as kind, n.nspname || '.' || c.opcname || ' using ' || am.amname as name, am.amname::text as detail
      from pg_catalog.pg_opclass c join pg_catalog.pg_namespace n on n.oid = c.opcnamespace join pg_catalog.pg_am am on am.oid = c.opcmethod
      where c.opcnamespace = any($1::oid[]) and ${extensionOf('pg_opclass', 'c.oid')} is null
    union all
    select 'operator-family', n.nspname || '.' || f.opfname || ' using ' || am.amname, am.amname::text
      from pg_catalog.pg_opfamily f join pg_catalog.pg_namespace n on n.oid = f.opfnamespace join pg_catalog.pg_am am on am.oid = f.opfmethod
      where f.opfnamespace = any($1::oid[]) and ${extensionOf('pg_opfamily', 'f.oid')} is null
    union all
    select 'foreign-data-wrapper', w.fdwname::text, coalesce(w.fdwhandler::pg_catalog.regproc::text, '-')
      from pg_catalog.pg_foreign_data_wrapper w
      where w.oid >= 16384 and ${extensionOf('pg_foreign_data_wrapper', 'w.oid')} is null and ${extensionOf('pg_proc', 'w.fdwhandler')} is null
    union all
    select 'base-type', n.nspname || '.' || t.typname, case t.typtype when 'p' then 'shell' else t.typinput::pg_catalog.regproc::text end
      from pg_catalog.pg_type t join pg_catalog.pg_namespace n on n.oid = t.typnamespace
      where t.typnamespace = any($1::oid[]) and (t.typtype = 'p' or t.typtype = 'b' and t.typelem = 0)
        and ${extensionOf('pg_type', 't.oid')} is null
    order by 1, 2`,
  );
  return sortByKeys(rows, (r) => [r.kind, r.name]);
}
