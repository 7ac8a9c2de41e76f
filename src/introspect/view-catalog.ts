import type { ViewWrites } from './snapshot';
import { rowsOf, type CatalogScope } from './catalog';
import { targetOrigins } from './node-tree';

/** What Postgres itself says about each view: where it can be written, and where its columns come from. */
export interface ViewFacts {
  writes: ViewWrites;
  /** view column -> [schema, relation, column] it shows unchanged. */
  origins: Record<string, [string, string, string]>;
}

interface WritesRow {
  relid: string;
  insert: boolean;
  update: boolean;
  columns: string[];
  tree: string | null;
}

interface AttributeName {
  relid: string;
  attnum: number;
  schema: string;
  relation: string;
  name: string;
}

/**
 * Per view (by pg_class oid), read as PostgREST's type generator reads them: INSERT/UPDATE through
 * the view counting INSTEAD OF triggers and rules (`pg_relation_is_updatable(..., true)`), and a
 * column writable when Postgres can update it on its own (`pg_column_is_updatable`) or a trigger
 * or unconditional rule rewrites whole rows for the view.
 */
export async function readViewFacts(scope: CatalogScope): Promise<Map<string, ViewFacts>> {
  const rows = await rowsOf<WritesRow>(
    scope,
    `
    select c.oid::text as relid,
      c.relkind = 'v' and (pg_catalog.pg_relation_is_updatable(c.oid, true) & 8) = 8 as insert,
      c.relkind = 'v' and (pg_catalog.pg_relation_is_updatable(c.oid, true) & 4) = 4 as update,
      array(select a.attname::text from pg_catalog.pg_attribute a
        where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and c.relkind = 'v' and (
          pg_catalog.pg_column_is_updatable(c.oid, a.attnum, false) or whole_rows.rewritten)
        order by a.attnum) as columns,
      (select rw.ev_action::text from pg_catalog.pg_rewrite rw
        where rw.ev_class = c.oid and rw.rulename = '_RETURN') as tree
    from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      cross join lateral (select
        exists (select from pg_catalog.pg_trigger tg where tg.tgrelid = c.oid and not tg.tgisinternal
          and tg.tgtype & 64 <> 0 and tg.tgtype & 20 <> 0)
        or exists (select from pg_catalog.pg_rewrite rw where rw.ev_class = c.oid and rw.is_instead
          and rw.ev_type in ('2', '3') and rw.ev_qual::text = '<>') as rewritten) whole_rows
    where c.relkind in ('v', 'm') and n.oid = any($1::oid[])`,
  );
  const origins = new Map(rows.map((r) => [r.relid, r.tree === null ? [] : targetOrigins(r.tree)]));
  const names = await attributeNames(
    scope,
    rows.map((r) => r.relid),
    [...origins.values()].flat().map((o) => o.relid),
  );
  const nameOf = (relid: string, attnum: number) => names.get(`${relid}:${attnum}`);
  const facts = new Map<string, ViewFacts>();
  for (const r of rows) {
    const byColumn: Record<string, [string, string, string]> = {};
    for (const o of origins.get(r.relid) ?? []) {
      const column = nameOf(r.relid, o.resno);
      const source = nameOf(o.relid, o.attnum);
      if (column && source) byColumn[column.name] = [source.schema, source.relation, source.name];
    }
    facts.set(r.relid, { writes: { insert: r.insert, update: r.update, columns: r.columns }, origins: byColumn });
  }
  return facts;
}

/** Names of the columns of the views and of the relations they read, keyed `relid:attnum`. */
async function attributeNames(
  scope: CatalogScope,
  views: string[],
  sources: string[],
): Promise<Map<string, AttributeName>> {
  const relids = [...new Set([...views, ...sources])];
  if (relids.length === 0) return new Map();
  const rows = await scope.db.query<AttributeName>(
    `
    select a.attrelid::text as relid, a.attnum::int as attnum, n.nspname::text as schema, c.relname::text as relation,
      a.attname::text as name
    from pg_catalog.pg_attribute a
      join pg_catalog.pg_class c on c.oid = a.attrelid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where a.attrelid = any($1::oid[]) and a.attnum > 0 and not a.attisdropped`,
    [`{${relids.join(',')}}`],
  );
  return new Map(rows.rows.map((r) => [`${r.relid}:${r.attnum}`, r]));
}
