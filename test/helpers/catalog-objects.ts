import { withDb } from '../../src/db';

/**
 * Every object of a database's application schemas, one row each, read straight from the
 * catalog (not through the engine's introspection), named as the plan and the spec name it:
 *
 * - `step`: the id of the plan step that creates it (`table:{s}.t`, `{s}` standing for the
 *   schema, which the spec may rename); null when the SQL of another step carries it;
 * - `inside` and `text`: that other step's id, and what its SQL must contain (a validated check
 *   constraint in its table's CREATE TABLE, a comment in the step of its object);
 * - `skip`: how `schema.skip_objects` / `Analysis.notCarried` name it when Supabase cannot hold it.
 *
 * Left out: extension members (the extension's step carries them) and what Postgres makes by
 * itself: identity sequences, array and row types, range constructors and multiranges, the
 * constraints and indexes a partition gets from its parent when it is attached, the indexes
 * behind constraints (the constraint's step), a view's `_RETURN` rule.
 */
export interface CatalogObject {
  kind: string;
  /** For failure messages: `table app.t`. */
  label: string;
  schema: string | null;
  step: string | null;
  inside: string | null;
  text: string | null;
  skip: string | null;
  /** With `inside`: the line of that step's SQL that holds `text` must hold this too (a column's default). */
  fragment?: string;
}

const member = (catalog: string, oid: string) =>
  `exists (select from pg_catalog.pg_depend dep where dep.classid = '${catalog}'::pg_catalog.regclass
     and dep.objid = ${oid} and dep.deptype = 'e')`;
const made = (catalog: string, oid: string) =>
  `exists (select from pg_catalog.pg_depend dep where dep.classid = '${catalog}'::pg_catalog.regclass
     and dep.objid = ${oid} and dep.deptype = 'i')`;

/** Rows of (kind, schema, name, step prefix, skip word); `$1` is the array of application schema names. */
const NAMED = `
  select case c.relkind when 'r' then 'table' when 'p' then 'table' when 'v' then 'view'
      when 'm' then 'materialized view' when 'f' then 'foreign table' else 'sequence' end as kind,
    n.nspname::text as schema, c.relname::text as name,
    case c.relkind when 'r' then 'table' when 'p' then 'table' when 'v' then 'view' when 'm' then 'materialized-view'
      when 'f' then 'foreign-table' else 'sequence' end as prefix,
    case c.relkind when 'f' then 'foreign table' end as skipword
  from pg_catalog.pg_class c join app n on n.oid = c.relnamespace
  where c.relkind in ('r', 'p', 'v', 'm', 'f', 'S') and not ${member('pg_class', 'c.oid')}
    -- an identity column's sequence belongs to its table (deptype i). A partitioned table has a
    -- deptype i entry too (on its own partition key columns): the test is for sequences only.
    and not (c.relkind = 'S' and ${made('pg_class', 'c.oid')})
  union all
  select case t.typtype when 'e' then 'enum' when 'd' then 'domain' when 'c' then 'composite' when 'r' then 'range'
      when 'b' then 'base type' else 'shell type' end,
    n.nspname, t.typname,
    case t.typtype when 'e' then 'enum' when 'd' then 'domain' when 'c' then 'composite' when 'r' then 'range' end,
    case when t.typtype in ('b', 'p') then 'base type' end
  from pg_catalog.pg_type t join app n on n.oid = t.typnamespace
  where (t.typtype in ('e', 'd', 'r') or (t.typtype = 'b' and t.typelem = 0 and t.typarray <> 0)
      or (t.typtype = 'p' and not t.typisdefined)
      or (t.typtype = 'c' and (select relkind from pg_catalog.pg_class where oid = t.typrelid) = 'c'))
    and not ${member('pg_type', 't.oid')}
  union all
  select case p.prokind when 'f' then 'function' when 'p' then 'procedure' when 'a' then 'aggregate'
      else 'window function' end,
    n.nspname, p.proname::text || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')',
    case p.prokind when 'f' then 'function' when 'p' then 'procedure' when 'a' then 'aggregate' end,
    case p.prokind when 'f' then 'function' when 'p' then 'procedure' when 'a' then 'aggregate'
      else 'window function' end
  from pg_catalog.pg_proc p join app n on n.oid = p.pronamespace
  where not ${member('pg_proc', 'p.oid')} and not ${made('pg_proc', 'p.oid')}
  union all
  -- a serial's sequence OWNED BY its column (an auto dependency on the column)
  select 'sequence owned by', n.nspname, c.relname::text, 'sequence-owner', null
  from pg_catalog.pg_class c join app n on n.oid = c.relnamespace
  where c.relkind = 'S' and exists (select from pg_catalog.pg_depend dep
    where dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass and dep.objid = c.oid and dep.deptype = 'a'
      and dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass and dep.refobjsubid > 0)
  union all
  select 'trigger', n.nspname, c.relname::text || '.' || t.tgname, 'trigger', null
  from pg_catalog.pg_trigger t join pg_catalog.pg_class c on c.oid = t.tgrelid join supa n on n.oid = c.relnamespace
  where not t.tgisinternal and t.tgparentid = 0
  union all
  select 'policy', n.nspname, c.relname::text || '.' || p.polname, 'policy', null
  from pg_catalog.pg_policy p join pg_catalog.pg_class c on c.oid = p.polrelid join supa n on n.oid = c.relnamespace
  union all
  select 'rule', n.nspname, c.relname::text || '.' || r.rulename, 'rule', null
  from pg_catalog.pg_rewrite r join pg_catalog.pg_class c on c.oid = r.ev_class join app n on n.oid = c.relnamespace
  where r.rulename <> '_RETURN'
  union all
  select case x.contype when 'p' then 'primary key' when 'u' then 'unique' when 'x' then 'exclusion'
      else 'foreign key' end,
    n.nspname, c.relname::text || '.' || x.conname,
    case x.contype when 'p' then 'primary-key' when 'u' then 'unique' when 'x' then 'exclusion' else 'foreign-key' end,
    null
  from pg_catalog.pg_constraint x join pg_catalog.pg_class c on c.oid = x.conrelid join app n on n.oid = c.relnamespace
  where x.contype in ('p', 'u', 'x', 'f') and x.conparentid = 0
  union all
  select 'check (not valid)', n.nspname, c.relname::text || '.' || x.conname, 'check', null
  from pg_catalog.pg_constraint x join pg_catalog.pg_class c on c.oid = x.conrelid join app n on n.oid = c.relnamespace
  where x.contype = 'c' and not x.convalidated and x.conislocal
  union all
  select 'index', n.nspname, c.relname, 'index', null
  from pg_catalog.pg_index i join pg_catalog.pg_class c on c.oid = i.indexrelid join app n on n.oid = c.relnamespace
  where not exists (select from pg_catalog.pg_constraint x where x.conindid = i.indexrelid and x.contype in ('p', 'u', 'x'))
    and not exists (select from pg_catalog.pg_inherits h where h.inhrelid = i.indexrelid)
    and not ${member('pg_class', 'i.indexrelid')}
  union all
  select 'statistics', n.nspname, s.stxname, 'statistics', null
  from pg_catalog.pg_statistic_ext s join app n on n.oid = s.stxnamespace
  union all
  select 'collation', n.nspname, c.collname, 'collation', null
  from pg_catalog.pg_collation c join app n on n.oid = c.collnamespace where not ${member('pg_collation', 'c.oid')}
  union all
  select 'text search configuration', n.nspname, c.cfgname, 'ts-config', null
  from pg_catalog.pg_ts_config c join app n on n.oid = c.cfgnamespace where not ${member('pg_ts_config', 'c.oid')}
  union all
  select 'text search dictionary', n.nspname, d.dictname, 'ts-dictionary', null
  from pg_catalog.pg_ts_dict d join app n on n.oid = d.dictnamespace where not ${member('pg_ts_dict', 'd.oid')}
  union all
  select 'text search parser', n.nspname, p.prsname, null, 'text search parser'
  from pg_catalog.pg_ts_parser p join app n on n.oid = p.prsnamespace where not ${member('pg_ts_parser', 'p.oid')}
  union all
  select 'text search template', n.nspname, p.tmplname, null, 'text search template'
  from pg_catalog.pg_ts_template p join app n on n.oid = p.tmplnamespace where not ${member('pg_ts_template', 'p.oid')}
  union all
  select 'operator', n.nspname, o.oprname::text || '(' || coalesce(pg_catalog.format_type(nullif(o.oprleft, 0), null), 'none')
      || ',' || coalesce(pg_catalog.format_type(nullif(o.oprright, 0), null), 'none') || ')', 'operator', null
  from pg_catalog.pg_operator o join app n on n.oid = o.oprnamespace where not ${member('pg_operator', 'o.oid')}
  union all
  select 'operator class', n.nspname, c.opcname::text || ' using ' || a.amname, null, 'operator class'
  from pg_catalog.pg_opclass c join pg_catalog.pg_am a on a.oid = c.opcmethod join app n on n.oid = c.opcnamespace
  where not ${member('pg_opclass', 'c.oid')}
  union all
  select 'operator family', n.nspname, f.opfname::text || ' using ' || a.amname, null, 'operator family'
  from pg_catalog.pg_opfamily f join pg_catalog.pg_am a on a.oid = f.opfmethod join app n on n.oid = f.opfnamespace
  where not ${member('pg_opfamily', 'f.oid')}
    -- CREATE OPERATOR CLASS without FAMILY makes a family of the same name with it
    and not ${made('pg_opfamily', 'f.oid')}`;

/** Objects outside any schema, and the tables of the realtime publication, as (kind, name, step, skip). */
const GLOBAL = `
  select 'schema' as kind, n.nspname::text as name, 'schema:{s}' as step, null as skip, n.nspname::text as schema
  -- public is Supabase's own schema on the target: the plan never creates it
  from app n where n.nspname <> 'public'
  union all
  select 'extension', e.extname, 'extension:' || e.extname, null, null
  from pg_catalog.pg_extension e where e.extname <> 'plpgsql'
  union all
  select 'cast', c.castsource::pg_catalog.regtype || ' as ' || c.casttarget::pg_catalog.regtype,
    'cast:(' || pg_catalog.format_type(c.castsource, null) || ' as ' || pg_catalog.format_type(c.casttarget, null) || ')',
    'cast (' || pg_catalog.format_type(c.castsource, null) || ' as ' || pg_catalog.format_type(c.casttarget, null) || ')',
    null
  -- a range's cast to its multirange comes with the range (deptype i)
  from pg_catalog.pg_cast c where c.oid >= 16384 and not ${member('pg_cast', 'c.oid')} and not ${made('pg_cast', 'c.oid')}
  union all
  select 'foreign data wrapper', w.fdwname, null, 'foreign data wrapper ' || w.fdwname, null
  from pg_catalog.pg_foreign_data_wrapper w where not ${member('pg_foreign_data_wrapper', 'w.oid')}
  union all
  select 'server', s.srvname, 'server:' || s.srvname, 'server ' || s.srvname, null from pg_catalog.pg_foreign_server s
  union all
  select 'user mapping', u.usename::text || ' server ' || u.srvname, null, 'user mapping for ' || u.usename::text || ' server ' || u.srvname,
    null
  from pg_catalog.pg_user_mappings u
  union all
  -- supabase_realtime is Supabase's own publication: the plan adds the source's tables to it
  select 'publication', p.pubname, 'publication:' || p.pubname, 'publication ' || p.pubname, null
  from pg_catalog.pg_publication p where p.pubname <> 'supabase_realtime'
  union all
  select 'realtime table', t.schemaname::text || '.' || t.tablename, 'security:realtime:{s}.' || t.tablename, null, t.schemaname
  from pg_catalog.pg_publication_tables t where t.pubname = 'supabase_realtime'
  union all
  select 'event trigger', e.evtname, 'event-trigger:' || e.evtname, null, null from pg_catalog.pg_event_trigger e`;

/** Local columns of the application's tables (partitions' columns are their parent's). */
const COLUMNS = `pg_catalog.pg_attribute a join pg_catalog.pg_class c on c.oid = a.attrelid join app n on n.oid = c.relnamespace
  where c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped`;

/**
 * What the CREATE TABLE or CREATE DOMAIN step of a table or domain holds, with the text its SQL
 * must contain: validated checks, UNLOGGED tables and sequences, storage parameters, and per column attribute options
 * (n_distinct), a statistics target, a STORAGE other than its type's.
 */
const INLINE = `
  select 'check' as kind, n.nspname as schema, c.relname::text || '.' || x.conname as name,
    (case when c.relkind = 'f' then 'foreign-table' else 'table' end) || ':{s}.' || c.relname as inside,
    'constraint ' || ${ident('x.conname')} || ' ' as text
  from pg_catalog.pg_constraint x join pg_catalog.pg_class c on c.oid = x.conrelid join app n on n.oid = c.relnamespace
  -- a check a table inherits is its parent's (conislocal false): the parent's CREATE TABLE holds it
  where x.contype = 'c' and x.convalidated and x.conislocal
  union all
  select 'domain check', n.nspname, t.typname::text || '.' || x.conname, 'domain:{s}.' || t.typname,
    'constraint ' || ${ident('x.conname')} || ' '
  from pg_catalog.pg_constraint x join pg_catalog.pg_type t on t.oid = x.contypid join app n on n.oid = t.typnamespace
  where not ${member('pg_type', 't.oid')}
  union all
  select 'unlogged table', n.nspname, c.relname::text, 'table:{s}.' || c.relname, 'create unlogged table '
  from pg_catalog.pg_class c join app n on n.oid = c.relnamespace where c.relkind in ('r', 'p') and c.relpersistence = 'u'
  union all
  select 'unlogged sequence', n.nspname, c.relname::text, 'sequence:{s}.' || c.relname, 'create unlogged sequence '
  from pg_catalog.pg_class c join app n on n.oid = c.relnamespace where c.relkind = 'S' and c.relpersistence = 'u'
    and not ${made('pg_class', 'c.oid')}
  union all
  select 'table option', n.nspname, c.relname::text || ' ' || o, 'table:{s}.' || c.relname, o
  from pg_catalog.pg_class c join app n on n.oid = c.relnamespace, unnest(c.reloptions) o where c.relkind in ('r', 'p')
  union all
  -- the options ALTER COLUMN ... SET takes (this server's build keeps private pg_attver entries there too)
  select 'column option', x.nspname, x.relname || '.' || x.attname || ' ' || x.o, 'table:{s}.' || x.relname, x.o
  from (select n.nspname, c.relname::text as relname, a.attname::text as attname, pg_catalog.unnest(a.attoptions) as o
    from ${COLUMNS}) x
  where x.o like 'n_distinct%'
  union all
  select 'column statistics target', n.nspname, c.relname::text || '.' || a.attname, 'table:{s}.' || c.relname,
    ${ident('a.attname')} || ' set statistics ' || a.attstattarget || ';'
  from ${COLUMNS} and a.attstattarget >= 0
  union all
  select 'column storage', n.nspname, c.relname::text || '.' || a.attname, 'table:{s}.' || c.relname,
    ${ident('a.attname')} || ' set storage ' || case a.attstorage when 'p' then 'plain' when 'e' then 'external'
      when 'm' then 'main' else 'extended' end || ';'
  from ${COLUMNS} and a.attstorage <> (select typstorage from pg_catalog.pg_type where oid = a.atttypid)`;

/** `"name"` as the plan quotes every identifier. */
function ident(column: string): string {
  return `'"' || pg_catalog.replace(${column}, '"', '""') || '"'`;
}

/**
 * Per column of a table's CREATE TABLE (local columns of tables that are not partitions: a
 * partition's and an inherited column's are the parent's): its line and what the line must say.
 */
const COLUMN_PARTS = `
  select k.kind, x.nspname as schema, x.relname || '.' || x.attname as name, 'table:{s}.' || x.relname as inside,
    '  ' || ${ident('x.attname')} || ' ' as text, k.fragment
  from (select n.nspname, c.relname::text as relname, a.attname::text as attname, a.atthasdef, a.attgenerated,
      a.attidentity, a.attnotnull
    from ${COLUMNS} and a.attislocal and not c.relispartition) x
    cross join lateral (values
      ('column default', case when x.atthasdef and x.attgenerated = '' then ' default ' end),
      ('identity column', case x.attidentity when 'a' then ' generated always as identity'
        when 'd' then ' generated by default as identity' end),
      ('generated column', case when x.attgenerated = 's' then ' generated always as (' end),
      ('not null column', case when x.attnotnull then ' not null' end)) k(kind, fragment)
  where k.fragment is not null`;

/** Comments on the objects above: the commented object, the text, and the whole object (a column's table). */
const COMMENTS = `
  select o.type || ' ' || o.identity as name, d.description, w.type || ' ' || w.identity as whole
  from pg_catalog.pg_description d, pg_catalog.pg_identify_object(d.classoid, d.objoid, d.objsubid) o,
    pg_catalog.pg_identify_object(d.classoid, d.objoid, 0) w
  where (o.schema in (select nspname from app)
      or (d.classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass and d.objoid in (select oid from app))
      -- triggers, policies and rules have no schema of their own: their table's
      or (select c.relnamespace from pg_catalog.pg_class c where c.oid = case d.classoid
          when 'pg_catalog.pg_trigger'::pg_catalog.regclass then (select tgrelid from pg_catalog.pg_trigger where oid = d.objoid)
          when 'pg_catalog.pg_policy'::pg_catalog.regclass then (select polrelid from pg_catalog.pg_policy where oid = d.objoid)
          when 'pg_catalog.pg_rewrite'::pg_catalog.regclass then (select ev_class from pg_catalog.pg_rewrite where oid = d.objoid)
        end) in (select oid from app)
      or (d.classoid in ('pg_catalog.pg_cast'::pg_catalog.regclass, 'pg_catalog.pg_foreign_server'::pg_catalog.regclass,
          'pg_catalog.pg_event_trigger'::pg_catalog.regclass, 'pg_catalog.pg_publication'::pg_catalog.regclass)
        and d.objoid >= 16384))
    and d.classoid <> 'pg_catalog.pg_extension'::pg_catalog.regclass
    -- Postgres's own comment on public, which Supabase's public carries too
    and not (d.classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass and o.identity = 'public'
      and d.description = 'standard public schema')
    and not exists (select from pg_catalog.pg_depend x where x.classid = d.classoid and x.objid = d.objoid
      and x.deptype in ('e', 'i'))`;

interface NamedRow {
  kind: string;
  schema: string;
  name: string;
  prefix: string | null;
  skipword: string | null;
}

/** The catalog's objects in `schemas` (source names); `supabase` adds triggers and policies on auth/storage tables. */
export async function catalogObjects(url: string, schemas: string[]): Promise<CatalogObject[]> {
  const app = `with app as (select oid, nspname from pg_catalog.pg_namespace where nspname = any($1::text[])),
    supa as (select oid, nspname from pg_catalog.pg_namespace where nspname = any($1::text[] || '{auth,storage}'))`;
  return withDb(url, async (db) => {
    await db.query(`select pg_catalog.set_config('search_path', '', false)`);
    const named = await db.query<NamedRow>(`${app} ${NAMED}`, [schemas]);
    const global = await db.query<{ kind: string; name: string; step: string | null; skip: string | null; schema: string | null }>(
      `${app} ${GLOBAL}`,
      [schemas],
    );
    const inline = await db.query<{ kind: string; schema: string; name: string; inside: string; text: string }>(
      `${app} ${INLINE}`,
      [schemas],
    );
    const columns = await db.query<{ kind: string; schema: string; name: string; inside: string; text: string; fragment: string }>(
      `${app} ${COLUMN_PARTS}`,
      [schemas],
    );
    const comments = await db.query<{ name: string; description: string; whole: string }>(`${app} ${COMMENTS}`, [schemas]);
    return [
      ...named.rows.map((r) => ({
        kind: r.kind,
        label: `${r.kind} ${r.schema}.${r.name}`,
        schema: r.schema,
        step: r.prefix === null ? null : `${r.prefix}:{s}.${r.name}`,
        inside: null,
        text: null,
        skip: r.skipword === null ? null : `${r.skipword} ${r.schema}.${r.name}`,
      })),
      ...global.rows.map((r) => ({ ...r, label: `${r.kind} ${r.name}`, inside: null, text: null })),
      ...inline.rows.map((r) => ({
        kind: r.kind,
        label: `${r.kind} ${r.schema}.${r.name}`,
        schema: r.schema,
        step: null,
        inside: r.inside,
        text: r.text,
        skip: null,
      })),
      ...columns.rows.map((r) => ({
        kind: r.kind,
        label: `${r.kind} ${r.schema}.${r.name}`,
        schema: r.schema,
        step: null,
        inside: r.inside,
        text: r.text,
        skip: null,
        fragment: r.fragment,
      })),
      ...comments.rows.map((r) => ({
        kind: 'comment',
        label: `comment on ${r.name}`,
        schema: null,
        step: null,
        inside: '*',
        text: `is '${r.description.replace(/'/g, "''")}';`,
        // a comment goes where its object goes: a skipped foreign table takes its comments along
        skip: r.whole,
      })),
    ];
  });
}

/** The parts of a plan an object can be carried by. */
export interface PlannedSteps {
  steps: { id: string; sql: string }[];
  /** `schema.skip_objects` names of what the plan leaves out on purpose. */
  skipped: string[];
  /** Target name of a source schema (the spec's renames). */
  schema: (source: string) => string;
}

/** Step prefixes of the objects the catalog holds (security steps and data steps are the plan's own). */
export const SOURCE_PREFIXES = new Set([
  'schema', 'extension', 'table', 'view', 'materialized-view', 'foreign-table', 'sequence', 'enum', 'domain',
  'composite', 'range', 'function', 'procedure', 'aggregate', 'trigger', 'policy', 'rule', 'primary-key', 'unique',
  'exclusion', 'foreign-key', 'check', 'index', 'statistics', 'collation', 'ts-config', 'ts-dictionary', 'operator',
  'cast', 'server', 'publication', 'event-trigger', 'sequence-owner',
]);

export type Carried = 'planned' | 'skipped' | null;

/** How the plan carries one catalog object: by its own step, inside another's SQL, skipped on purpose, or not at all. */
export function carriedBy(o: CatalogObject, plan: PlannedSteps, byId: Map<string, string>): Carried {
  const resolve = (id: string) => id.replace('{s}', o.schema === null ? '' : plan.schema(o.schema));
  if (o.step !== null && byId.has(resolve(o.step))) return 'planned';
  if (o.skip !== null && plan.skipped.includes(o.skip)) return 'skipped';
  if (o.inside !== null && o.text !== null) {
    const text = o.text;
    if (o.inside === '*') return plan.steps.some((s) => s.sql.includes(text)) ? 'planned' : null;
    const sql = byId.get(resolve(o.inside)) ?? '';
    const fragment = o.fragment;
    if (fragment === undefined) return sql.includes(text) ? 'planned' : null;
    return sql.split('\n').some((l) => l.startsWith(text) && l.includes(fragment)) ? 'planned' : null;
  }
  return null;
}

/** Per kind: objects in the catalog, planned, skipped; the objects neither; steps of source kinds the catalog lacks. */
export function account(objects: CatalogObject[], plan: PlannedSteps) {
  const byId = new Map(plan.steps.map((s) => [s.id, s.sql]));
  const counts: Record<string, { catalog: number; planned: number; skipped: number }> = {};
  const missing: string[] = [];
  const expected = new Set<string>();
  for (const o of objects) {
    const c = (counts[o.kind] ??= { catalog: 0, planned: 0, skipped: 0 });
    c.catalog += 1;
    const how = carriedBy(o, plan, byId);
    if (how === null) missing.push(o.label);
    else c[how] += 1;
    if (o.step !== null) expected.add(o.step.replace('{s}', o.schema === null ? '' : plan.schema(o.schema)));
  }
  const beyond = plan.steps
    .map((s) => s.id)
    .filter((id) => SOURCE_PREFIXES.has(id.split(':')[0]) && !expected.has(id));
  return { counts, missing: missing.sort(), beyond: beyond.sort() };
}
