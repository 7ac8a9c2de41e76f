import type { Db } from '../../src/db';
import type { Column, Table } from '../../src/introspect/snapshot';
import { ident, literal } from '../../src/sql';
import { SEED_USERS, writable } from './seed-values';

/** A SQL expression per column of the row being written. */
export type Row = Map<string, string>;

/**
 * Whether a text is a value of a type: the type's input function and its domain checks say so.
 * Created in pg_temp for the seeding session.
 */
export const CASTABLE_FUNCTION = `create or replace function pg_temp.seed_castable(v text, t text) returns boolean language plpgsql as $$
begin execute format('select %L::%s', v, t); return true; exception when others then return false; end $$`;

/** Shapes that checks commonly ask for: small numbers, short codes, e-mail, URL, semver, uuid. */
const GENERIC = ['1', '0', '2', '3', '10', '100', 'a', 'abc', 'ab', 'abcd', 'A', 'ABC', 'user1@example.com', 'https://example.com/a', '1.0.0', 'a-b', 'a_b', '2024-01-01', ...SEED_USERS];
/** Candidates per column, and combinations in all, that one search evaluates at most. */
const PER_COLUMN = 24;
const COMBINATIONS = 50_000;

const withoutStrings = (expr: string): string => expr.replace(/'(?:[^']|'')*'/g, "''");
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The texts and numbers (each with its neighbours, for strict bounds) an expression names. */
export function literalsOf(expr: string): string[] {
  const strings = [...expr.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1].replace(/''/g, "'"));
  const numbers = [...withoutStrings(expr).matchAll(/(?<![\w.$])-?\d+(?:\.\d+)?(?![\w.])/g)].flatMap((m) => {
    const n = Number(m[0]);
    return [n, n + 1, n - 1].map(String);
  });
  return [...new Set([...strings, ...numbers])];
}

/** The table's columns an expression names, bare or quoted. */
export function columnsIn(expr: string, t: Table): Column[] {
  const text = withoutStrings(expr);
  return t.columns.filter((c) => new RegExp(`(^|[^\\w"$.])(${escape(c.name)}|"${escape(c.name.replace(/"/g, '""'))}")(?![\\w"$])`).test(text));
}

export interface Search {
  db: Db;
  table: Table;
  row: Row;
  /** Columns that take a parent's key: only the parent's rows or null keep the key valid. */
  keyColumns: Set<string>;
  /** The row's own value is known to be wrong (a domain rejected it): leave it out. */
  fresh: boolean;
  i: number;
}

/** SQL expressions the column may take, its current value first, null last when allowed. */
async function candidates(s: Search, c: Column, raw: string[]): Promise<string[]> {
  const current = s.row.get(c.name) ?? c.default;
  const out = current !== null && !s.fresh ? [`(${current})::${c.type}`] : [];
  if (!s.keyColumns.has(c.name)) {
    const sql = `select v from unnest($1::text[]) with ordinality u(v, n) where pg_temp.seed_castable(v, $2) order by n`;
    const ok = await s.db.query<{ v: string }>(sql, [raw, c.type]);
    out.push(...ok.rows.map((r) => `${literal(r.v)}::${c.type}`));
  }
  const kept = [...new Set(out)].slice(0, PER_COLUMN - 1);
  return c.notNull ? kept : [...kept, `null::${c.type}`];
}

/** Fewer candidates for the longest lists until the combinations fit one search. */
function trimmed(lists: string[][]): string[][] {
  const out = lists.map((l) => [...l]);
  const product = () => out.reduce((a, l) => a * l.length, 1);
  while (product() > COMBINATIONS) {
    const longest = out.reduce((a, l) => (l.length > a.length ? l : a));
    longest.splice(longest.length - 2, 1);
  }
  return out;
}

/**
 * Values for the columns an expression (a check, a partition's bound) names that make it true,
 * searched by Postgres over candidate combinations; the fewest nulls win, row i takes the i-th
 * of those. The row is changed and true returned when one is found.
 */
export async function satisfy(s: Search, expr: string): Promise<boolean> {
  const cols = columnsIn(expr, s.table);
  if (cols.length === 0 || !cols.every(writable)) return false;
  const raw = [...literalsOf(expr), ...GENERIC];
  const all: string[][] = [];
  for (const c of cols) all.push(await candidates(s, c, raw));
  if (all.some((l) => l.length === 0)) return false;
  const lists = trimmed(all);
  const chosen = await search(s.db, cols, lists, expr);
  if (chosen === null) return false;
  const best = chosen.filter((r) => r.nulls === chosen[0].nulls);
  const pick = best[s.i % best.length];
  cols.forEach((c, k) => s.row.set(c.name, lists[k][pick.keys[k]]));
  return true;
}

async function search(db: Db, cols: Column[], lists: string[][], expr: string): Promise<{ keys: number[]; nulls: number }[] | null> {
  const from = lists.map((l, k) => `(values ${l.map((v, j) => `(${j}, ${v})`).join(', ')}) as c${k}(seed_k${k}, ${ident(cols[k].name)})`).join(' cross join ');
  const keys = cols.map((_, k) => `seed_k${k}`);
  const nulls = cols.map((c) => `(${ident(c.name)} is null)::int`).join(' + ');
  const sql = `select array[${keys.join(', ')}] as keys, ${nulls} as nulls from ${from} where (${expr}) is true order by nulls, ${keys.join(', ')} limit 64`;
  try {
    await db.exec('savepoint seed_search');
    const r = await db.query<{ keys: number[]; nulls: number }>(sql);
    await db.exec('release savepoint seed_search');
    return r.rows.length > 0 ? r.rows : null;
  } catch {
    await db.exec('rollback to savepoint seed_search');
    return null;
  }
}
