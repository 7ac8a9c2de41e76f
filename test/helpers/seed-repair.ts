import type { Db } from '../../src/db';
import type { Snapshot, Table } from '../../src/introspect/snapshot';
import { ident, qname } from '../../src/sql';
import { satisfy, type Row, type Search } from './seed-checks';
import { columnValue, writable } from './seed-values';

export interface RowContext {
  db: Db;
  snapshot: Snapshot;
  table: Table;
  row: Row;
  keyColumns: Set<string>;
  i: number;
}

/** The fields of a Postgres error that name what was violated. */
interface PgError extends Error {
  code?: string;
  column?: string;
  constraint?: string;
  dataType?: string;
}

/**
 * Changes the row after a failed insert so that the next try meets what failed: a value for a
 * NOT NULL column whose default was null (a JWT claim the application sets), values that a
 * check, a partition's bound or a domain accepts. False when the failure is none of those.
 */
export async function repair(ctx: RowContext, error: Error): Promise<boolean> {
  const err = error as PgError;
  const search: Search = { db: ctx.db, table: ctx.table, row: ctx.row, keyColumns: ctx.keyColumns, fresh: false, i: ctx.i };
  if (err.code === '23502' && err.column) return notNull(ctx, err.column);
  if (err.code !== '23514') return false;
  if (err.message.includes('partition constraint')) return satisfy(search, await partitionBound(ctx.db, ctx.table));
  if (err.dataType) return domainValues(ctx, search, err.dataType);
  const check = ctx.table.constraints.find((c) => c.kind === 'c' && c.name === err.constraint);
  return check ? satisfy(search, checkExpression(check.definition)) : false;
}

/** A NOT NULL column left to a default that was null gets a value of its own. */
function notNull(ctx: RowContext, name: string): boolean {
  const c = ctx.table.columns.find((x) => x.name === name);
  // A key column is null when its parent has no row: no value of its own would be valid.
  if (!c || ctx.keyColumns.has(name) || ctx.row.has(name)) return false;
  const v = columnValue(ctx.snapshot, ctx.table.name, c, ctx.i, true);
  if (v === null) return false;
  ctx.row.set(name, v);
  return true;
}

/** Columns of the domain get values that the domain's checks accept (the cast tries them). */
async function domainValues(ctx: RowContext, search: Search, domain: string): Promise<boolean> {
  const cols = ctx.table.columns.filter((c) => c.typeName === domain && writable(c));
  let changed = false;
  // An expression true of every value: the candidates' casts alone do the choosing.
  for (const c of cols) changed = (await satisfy({ ...search, fresh: true }, `${ident(c.name)} is not distinct from ${ident(c.name)}`)) || changed;
  return changed;
}

/** The expression of `CHECK (...) [NOT VALID]`. */
export const checkExpression = (definition: string): string => definition.replace(/^CHECK /, '').replace(/ NOT VALID$/, '');

async function partitionBound(db: Db, t: Table): Promise<string> {
  const r = await db.query<{ expr: string | null }>('select pg_get_partition_constraintdef($1::regclass) as expr', [qname(t.schema, t.name)]);
  return r.rows[0]?.expr ?? 'false';
}
