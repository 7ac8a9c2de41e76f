import type { Db } from '../../src/db';
import { ident } from '../../src/sql';
import { exposedSchemas } from '../../src/spec/exposed';
import type { Spec } from '../../src/spec/types';
import { cell, insertCell, MATRIX_ACTORS, type AccessMatrix, type MatrixActor } from './access-matrix';
import { appSchemas } from './matrix-scope';

/** A view or materialized view the matrix probes, with what it can be asked to do. */
export interface MatrixView {
  /** `schema.name`, as the table matrix names tables. */
  key: string;
  schema: string;
  name: string;
  materialized: boolean;
  /** What Postgres lets a caller try on it (auto-updatable, rules, INSTEAD OF triggers); none for a matview. */
  writes: ('insert' | 'update' | 'delete')[];
  /** The columns an INSERT or UPDATE through it may set. */
  columns: string[];
  /** The relations it reads, through the views it reads: tables, and matviews (the chain stops there). */
  base: string[];
}

/*
 * Every view and matview of the schemas, extension members left out (the plan does not create
 * them). pg_relation_is_updatable's bits are Postgres' command types: 4 update, 8 insert,
 * 16 delete. A view's base relations are its rules' dependencies, followed through inner views.
 */
const VIEWS_SQL = `with recursive vs as (
    select c.oid, n.nspname as schema, c.relname as name, c.relkind = 'm' as materialized,
      case when c.relkind = 'v' then pg_relation_is_updatable(c.oid, true) else 0 end as bits
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('v', 'm') and n.nspname = any($1::name[])
      and not exists (select from pg_depend e where e.classid = 'pg_class'::regclass and e.objid = c.oid and e.deptype = 'e')),
  reads(view, rel) as (
    select r.ev_class, d.refobjid from pg_rewrite r
      join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid and d.refclassid = 'pg_class'::regclass
    where r.ev_class in (select oid from vs) and d.refobjid <> r.ev_class
    union
    select reads.view, d.refobjid from reads
      join pg_class i on i.oid = reads.rel and i.relkind = 'v'
      join pg_rewrite r on r.ev_class = i.oid
      join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid and d.refclassid = 'pg_class'::regclass
    where d.refobjid <> r.ev_class)
  select vs.schema, vs.name, vs.materialized, vs.bits,
    array(select a.attname::text from pg_attribute a where a.attrelid = vs.oid and a.attnum > 0 and not a.attisdropped
      and vs.bits > 0 and pg_column_is_updatable(vs.oid, a.attnum, true) order by a.attnum) as columns,
    array(select distinct bn.nspname || '.' || b.relname from reads join pg_class b on b.oid = reads.rel
      join pg_namespace bn on bn.oid = b.relnamespace where reads.view = vs.oid and b.relkind in ('r', 'p', 'm', 'f') order by 1) as base
  from vs order by vs.schema, vs.name`;

interface ViewRow {
  schema: string;
  name: string;
  materialized: boolean;
  bits: number;
  columns: string[];
  base: string[];
}

const WRITE_BITS = { update: 4, insert: 8, delete: 16 } as const;

function toMatrixView(r: ViewRow): MatrixView {
  const writes = (['insert', 'update', 'delete'] as const).filter((op) => (r.bits & WRITE_BITS[op]) !== 0);
  return { key: `${r.schema}.${r.name}`, schema: r.schema, name: r.name, materialized: r.materialized, writes, columns: r.columns, base: r.base };
}

/** The views and matviews of the given schemas on a database. */
export async function viewsIn(db: Db, schemas: string[]): Promise<MatrixView[]> {
  return (await db.query<ViewRow>(VIEWS_SQL, [schemas])).rows.map(toMatrixView);
}

/**
 * The views the matrix covers on the target: the same scope as the tables (matrixTables), every
 * schema the Data API serves and the application's others, which a team may expose later.
 */
export async function matrixViews(db: Db, url: string, spec: Pick<Spec, 'security'>): Promise<MatrixView[]> {
  return viewsIn(db, [...new Set([...exposedSchemas(spec), ...(await appSchemas(url))])]);
}

/**
 * The first of the view's columns that an UPDATE may set to itself (an identity GENERATED ALWAYS
 * column below may only be set to DEFAULT), tried as the connecting role on no row.
 */
async function updatableColumn(db: Db, view: string, columns: string[]): Promise<string | null> {
  for (const c of columns.map(ident)) {
    await db.exec('begin');
    try {
      await db.query(`update ${view} set ${c} = ${c} where false`);
      return c;
    } catch {
      // Not this one: try the next.
    } finally {
      await db.exec('rollback');
    }
  }
  return null;
}

/**
 * Rows each actor reads through each view, and rows it inserts, updates and deletes through it
 * (each in a transaction that is rolled back), keyed `schema.view actor operation` as the table
 * matrix is. Writes are tried only where Postgres would take them at all.
 */
export async function viewMatrix(db: Db, views: MatrixView[], actors: MatrixActor[] = MATRIX_ACTORS): Promise<AccessMatrix> {
  const out: AccessMatrix = {};
  for (const v of [...views].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    const t = `${ident(v.schema)}.${ident(v.name)}`;
    const col = await updatableColumn(db, t, v.columns);
    for (const actor of actors) {
      out[`${v.key} ${actor.name} select`] = await cell(db, actor, `select count(*) as n from ${t}`);
      if (v.writes.includes('insert') && v.columns.length > 0) out[`${v.key} ${actor.name} insert`] = await insertCell(db, actor, t, v.columns.map(ident));
      if (v.writes.includes('update') && col !== null) out[`${v.key} ${actor.name} update`] = await cell(db, actor, `update ${t} set ${col} = ${col}`);
      if (v.writes.includes('delete')) out[`${v.key} ${actor.name} delete`] = await cell(db, actor, `delete from ${t}`);
    }
  }
  return out;
}

/**
 * The view cells the spec opens: those it names the view for, and a plain view's cells whose
 * every base table it opens for that role and operation (then the view shows what the tables
 * show). A matview holds copied rows that no policy filters: only naming it opens it.
 */
export function viewOpenedCells(views: MatrixView[], opened: Set<string>): Set<string> {
  const out = new Set<string>();
  for (const v of views)
    for (const role of ['anon', 'authenticated'])
      for (const op of ['select', 'insert', 'update', 'delete']) {
        const viaTables = !v.materialized && v.base.length > 0 && v.base.every((b) => opened.has(`${b} ${role} ${op}`));
        if (opened.has(`${v.key} ${role} ${op}`) || viaTables) out.add(`${v.key} ${role} ${op}`);
      }
  return out;
}

/** The cells where an actor read or wrote at least one row. */
export function openCells(matrix: AccessMatrix): string[] {
  return Object.entries(matrix)
    .filter(([, v]) => typeof v === 'number' && v > 0)
    .map(([k]) => k);
}

/** How many of the views have any row for the connecting (owner or superuser) role: the cells that can show a leak. */
export async function viewsWithRows(db: Db, views: MatrixView[]): Promise<number> {
  let n = 0;
  for (const v of views) {
    const sql = `select exists (select from ${ident(v.schema)}.${ident(v.name)}) as any`;
    const any = await db.query<{ any: boolean }>(sql).then((r) => r.rows[0].any, () => false);
    if (any) n += 1;
  }
  return n;
}

/** One line for the test log: what the view matrix covered. */
export function viewScopeLine(views: MatrixView[], withRows: number): string {
  const mat = views.filter((v) => v.materialized).length;
  const writable = views.filter((v) => v.writes.length > 0).length;
  return `view matrix over ${views.length - mat} views and ${mat} matviews (${withRows} with rows as owner, ${writable} writable)`;
}

/** The view (or table) a matrix key names: all but its last two words, the actor and the operation. */
export function relationOf(key: string): string {
  return key.split(' ').slice(0, -2).join(' ');
}

/** The cells of a matrix whose relation passes the test. */
export function cellsOf(matrix: AccessMatrix, keep: (relation: string) => boolean): AccessMatrix {
  return Object.fromEntries(Object.entries(matrix).filter(([k]) => keep(relationOf(k))));
}

/**
 * `schema.matview role select` for every matview an API role may read (granted to it or to
 * PUBLIC), whether or not it holds rows now: the next refresh fills it, and no policy filters
 * it. Rows alone would miss a matview created empty, as a set's seed leaves them.
 */
export async function grantedMatviews(db: Db, views: MatrixView[]): Promise<string[]> {
  const mat = views.filter((v) => v.materialized);
  const sql = `select m.s || '.' || m.n || ' ' || r || ' select' as cell
    from unnest($1::text[], $2::text[]) as m(s, n), unnest(array['anon', 'authenticated']) r
    where has_table_privilege(r, format('%I.%I', m.s, m.n)::regclass, 'select') order by 1`;
  const { rows } = await db.query<{ cell: string }>(sql, [mat.map((v) => v.schema), mat.map((v) => v.name)]);
  return rows.map((r) => r.cell);
}
