import type { Db } from '../../db';
import type { TableCopy } from '../../plan/data/types';
import { ENGINE_MARK, ident, literal } from '../../sql';
import { GEOMETRY_CHUNK, readCheckpoint, recordCheckpoint, type ChunkCheckpoint } from './checkpoints';
import { keyOrder, sourceRows, sourceTable } from './statements';
import type { Chunk } from './types';

/**
 * Range chunks of an integer key. The first run measures min, max and count on the source and
 * records the chunk width on the target; a resume reads it back, so it splits exactly alike even
 * if the source's row count has changed meanwhile.
 */
export async function rangeChunks(
  source: Db,
  target: Db,
  copy: TableCopy,
  size: ChunkSize,
  snapshot: string | null = null,
): Promise<Chunk[]> {
  let geometry = await readCheckpoint(target, copy.id, GEOMETRY_CHUNK);
  if (!geometry) {
    geometry = { ...(await measureRange(source, copy, size)), snapshot };
    await recordCheckpoint(target, copy.id, geometry);
  }
  return splitRange(geometry);
}

/** Rows per chunk, and the table's row estimate from its statistics (null when it has none). */
export interface ChunkSize {
  rows: number;
  estimatedRows: number | null;
}

/**
 * Chunks are sized in bytes: `chunkBytes` over the table's average row size on disk (from its
 * statistics), at most `maxRows` rows. A table never analyzed gets `maxRows`.
 */
export async function chunkSize(source: Db, copy: TableCopy, maxRows: number, chunkBytes: number): Promise<ChunkSize> {
  const r = await source.query<{ tuples: number; bytes: string }>(
    'select c.reltuples::float8 as tuples, pg_table_size(c.oid)::text as bytes from pg_class c where c.oid = ' +
      '$1::regclass',
    [sourceTable(copy)],
  );
  const tuples = Number(r.rows[0]?.tuples ?? -1);
  const bytes = Number(r.rows[0]?.bytes ?? 0);
  if (!(tuples > 0) || !(bytes > 0)) return { rows: Math.max(1, maxRows), estimatedRows: null };
  const rows = Math.floor(chunkBytes / (bytes / tuples));
  return { rows: Math.max(1, Math.min(maxRows, rows)), estimatedRows: Math.round(tuples) };
}

async function measureRange(source: Db, copy: TableCopy, size: ChunkSize): Promise<ChunkCheckpoint> {
  const key = ident(copy.key![0]);
  const where = copy.where ? ` where (${copy.where})` : '';
  // min and max come from the key's index; the count is a scan, so the statistics stand in for it
  // when they can (a filtered copy cannot use them). It only sets how many ranges there are.
  const estimate = copy.where ? null : size.estimatedRows;
  const count = estimate === null ? 'count(*)::text' : 'null::text';
  const r = await source.query<{ lo: string | null; hi: string | null; n: string | null }>(
    `${ENGINE_MARK} select min(${key})::text as lo, max(${key})::text as hi, ${count} as n from ${sourceRows(copy)}${where}`,
  );
  const { lo, hi } = r.rows[0];
  const n = estimate ?? Number(r.rows[0].n);
  const span = lo === null || hi === null ? 0n : BigInt(hi) - BigInt(lo) + 1n;
  const pieces = BigInt(Math.max(1, Math.ceil(Number(n) / Math.max(1, size.rows))));
  const width = span === 0n ? 1n : (span + pieces - 1n) / pieces;
  return { chunkNo: GEOMETRY_CHUNK, keyLo: lo, keyHi: hi, rows: Number(width), checksum: 'geometry' };
}

export function splitRange(geometry: ChunkCheckpoint): Chunk[] {
  if (geometry.keyLo === null || geometry.keyHi === null) return [];
  const lo = BigInt(geometry.keyLo);
  const end = BigInt(geometry.keyHi) + 1n;
  const width = BigInt(geometry.rows);
  const chunks: Chunk[] = [];
  for (let start = lo, no = 0; start < end; start += width, no++) {
    const stop = start + width < end ? start + width : end;
    chunks.push({ no, lo: start.toString(), hi: stop.toString(), after: null });
  }
  return chunks;
}

/** The key of the last row of the next keyset page, or null when the rest fits in one chunk. */
export async function keysetBoundary(
  source: Db,
  copy: TableCopy,
  after: string[] | null,
  batchSize: number,
): Promise<string[] | null> {
  const key = copy.key!.map(ident);
  const parts: string[] = [];
  if (copy.where) parts.push(`(${copy.where})`);
  if (after) parts.push(`(${key.join(', ')}) > (${after.map(literal).join(', ')})`);
  const where = parts.length ? ` where ${parts.join(' and ')}` : '';
  const columns = key.map((k, i) => `${k}::text as k${i}`).join(', ');
  const r = await source.query<Record<string, string>>(
    `${ENGINE_MARK} select ${columns} from ${sourceRows(copy)}${where}${keyOrder(copy)} offset ${Math.max(0, batchSize - 1)} limit 1`,
  );
  return r.rows[0] ? Object.values(r.rows[0]) : null;
}
