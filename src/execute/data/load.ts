import { pipeline } from 'stream/promises';
import type { Db } from '../../db';
import { UserError } from '../../errors';
import type { TableCopy } from '../../plan/data/types';
import { ident } from '../../sql';
import {
  chunkSelect,
  chunkSelectAsText,
  copyInStatement,
  insertStatement,
  sourceTable,
  targetTable,
} from './statements';
import type { Chunk } from './types';

/** What one chunk put into the target, before its checkpoint is written. */
export interface LoadedChunk {
  rows: number;
}

/** A row the target refused during an INSERT batch; the batch's rows let the culprit be found. */
export class RejectedBatch extends Error {
  constructor(
    readonly cause: unknown,
    readonly rows: (string | null)[][],
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

export function usesCopy(copy: TableCopy, source: Db, target: Db): boolean {
  const capable = Boolean(source.copyOut && target.copyIn);
  if (copy.mode === 'copy' && !capable) {
    throw new UserError(
      `${copy.id}: mode copy needs servers on both ends`,
      `set mode to auto or insert for ${copy.source.schema}.${copy.source.table}`,
    );
  }
  return capable && copy.mode !== 'insert';
}

/**
 * Streams the chunk from COPY TO STDOUT into COPY FROM STDIN; memory stays bounded by stream
 * buffers. Binary format when both ends hold the same built-in types (no parsing or printing
 * of numbers, dates and timestamps), text otherwise.
 */
export async function copyChunk(
  source: Db,
  tx: Db,
  copy: TableCopy,
  chunk: Chunk,
  lastKey: string[] | null,
  limit?: number,
): Promise<LoadedChunk> {
  const format = (await binaryFormat(source, tx, copy)) ? ' with (format binary)' : '';
  const out = source.copyOut!(`copy (${chunkSelect(copy, chunk, lastKey, limit)}) to stdout${format}`);
  const into = tx.copyIn!(`${copyInStatement(copy)}${format}`);
  await pipeline(out, into);
  return { rows: into.rowCount };
}

// Column types do not change during a run: read the catalogs once per table, not per chunk.
const formats = new WeakMap<TableCopy, Promise<boolean>>();

function binaryFormat(source: Db, target: Db, copy: TableCopy): Promise<boolean> {
  let known = formats.get(copy);
  if (!known) {
    known = sameBuiltinTypes(source, target, copy);
    formats.set(copy, known);
    known.catch(() => formats.delete(copy));
  }
  return known;
}

/** A cast, or any other source-side rewrite a later plan field may add (its value not null). */
const transformed = (c: TableCopy['columns'][number]) =>
  Object.entries(c).some(([k, v]) => k !== 'source' && k !== 'target' && v !== null && v !== undefined);

/** Built-in types have the same OIDs in every database; user types (enums, composites) do not. */
const FIRST_NORMAL_OBJECT_ID = 16384;

/**
 * True when every copied column has the same built-in type on both sides and is read as is.
 * Binary COPY carries type OIDs inside arrays and records, and a receive function trusts its
 * input's type, so anything else (a cast, a source expression, an enum, a different type)
 * travels as text, where the target's input function checks and converts it.
 */
export async function sameBuiltinTypes(source: Db, target: Db, copy: TableCopy): Promise<boolean> {
  if (copy.columns.length === 0 || copy.columns.some(transformed)) return false;
  const typesOf = async (db: Db, table: string, names: string[]) => {
    const r = await db.query<{ name: string; oid: number }>(
      `select a.attname as name, a.atttypid::int as oid from pg_attribute a
        where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped and a.attname = any($2)`,
      [table, names],
    );
    return new Map(r.rows.map((c) => [c.name, Number(c.oid)]));
  };
  const [from, to] = await Promise.all([
    typesOf(
      source,
      sourceTable(copy),
      copy.columns.map((c) => c.source),
    ),
    typesOf(
      target,
      targetTable(copy),
      copy.columns.map((c) => c.target),
    ),
  ]);
  return copy.columns.every((c) => {
    const oid = from.get(c.source);
    return oid !== undefined && oid < FIRST_NORMAL_OBJECT_ID && to.get(c.target) === oid;
  });
}

/** Column types as the target declares them, for `$n::text::type`. */
export async function targetColumnTypes(target: Db, copy: TableCopy): Promise<string[]> {
  const r = await target.query<{ name: string; type: string }>(
    `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type
       from pg_attribute a where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped`,
    [targetTable(copy)],
  );
  const types = new Map(r.rows.map((c) => [c.name, c.type]));
  return copy.columns.map((c) => {
    const type = types.get(c.target);
    if (!type)
      throw new UserError(
        `${copy.id}: column ${c.target} is missing in ${copy.target.schema}.${copy.target.table} on the target`,
        'create the table from the schema plan first, or map the column with rename/drop',
      );
    return type;
  });
}

/**
 * Reads the chunk through a cursor (source transaction outermost, so two PGlite instances never
 * wait on each other in opposite orders) and writes parameterised INSERT batches.
 */
export async function insertChunk(
  source: Db,
  target: Db,
  copy: TableCopy,
  chunk: Chunk,
  lastKey: string[] | null,
  inTarget: (write: (tx: Db) => Promise<LoadedChunk>) => Promise<LoadedChunk>,
  limit?: number,
): Promise<LoadedChunk> {
  const types = await targetColumnTypes(target, copy);
  const width = copy.columns.length;
  const perStatement = Math.max(1, Math.min(1000, Math.floor(30000 / Math.max(1, width))));
  return source.transaction(async (src) => {
    await src.exec(`declare sm_chunk no scroll cursor for ${chunkSelectAsText(copy, chunk, lastKey, limit)}`);
    return inTarget(async (tx) => {
      let rows = 0;
      for (;;) {
        const batch = (await src.query<Record<string, string | null>>(`fetch ${perStatement} from sm_chunk`)).rows.map(
          (r) => Object.values(r),
        );
        if (batch.length === 0) break;
        const values = batch.flatMap((row) => row.slice(0, width));
        try {
          await tx.query(insertStatement(copy, types, batch.length), values);
        } catch (err) {
          throw new RejectedBatch(err, batch);
        }
        rows += batch.length;
      }
      // A source reading in a held snapshot stays in one transaction, so the cursor must go.
      await src.exec('close sm_chunk');
      return { rows };
    });
  });
}

/** Replays a failed batch row by row in a rolled-back transaction to name the refused row. */
export async function findRejectedRow(target: Db, copy: TableCopy, rows: (string | null)[][]): Promise<string | null> {
  const types = await targetColumnTypes(target, copy);
  const width = copy.columns.length;
  let culprit: string | null = null;
  await target
    .transaction(async (tx) => {
      await tx.exec('set local session_replication_role = replica');
      for (const row of rows) {
        try {
          await tx.query(insertStatement(copy, types, 1), row.slice(0, width));
        } catch {
          culprit = describeKey(copy, row.slice(width));
          break;
        }
      }
      throw new Error('rollback');
    })
    .catch(() => undefined);
  return culprit;
}

/** Finds the key of the n-th row (1-based) of a chunk on the source, for a COPY error's line number. */
export async function keyAtLine(
  source: Db,
  copy: TableCopy,
  chunk: Chunk,
  lastKey: string[] | null,
  line: number,
): Promise<string | null> {
  if (!copy.key) return null;
  const inner = chunkSelectAsText(copy, chunk, lastKey);
  const width = copy.columns.length;
  const r = await source.query<Record<string, string>>(
    `select * from (${inner}) as c offset ${Math.max(0, line - 1)} limit 1`,
  );
  const row = r.rows[0];
  return row ? describeKey(copy, Object.values(row).slice(width)) : null;
}

export function describeKey(copy: TableCopy, values: (string | null)[]): string | null {
  if (!copy.key || values.length === 0) return null;
  return copy.key.map((k, i) => `${ident(k)}=${values[i] ?? 'NULL'}`).join(', ');
}
