import type { Db } from '../../db';

/** A committed chunk as recorded on the target, in the same transaction as its rows. */
export interface ChunkCheckpoint {
  chunkNo: number;
  keyLo: string | null;
  keyHi: string | null;
  rows: number;
  checksum: string | null;
  /** The source snapshot the chunk was read in (null: read without one, e.g. from PGlite). */
  snapshot?: string | null;
}

/** Chunk number of the row that records a range table's chunk size, so resumes split alike. */
export const GEOMETRY_CHUNK = -1;

export async function ensureCheckpointTable(target: Db): Promise<void> {
  await target.exec(`create schema if not exists supamigrate;
create table if not exists supamigrate.data_chunks (
  table_id text not null,
  chunk_no int not null,
  key_lo text,
  key_hi text,
  rows bigint not null,
  checksum text,
  primary key (table_id, chunk_no)
);
alter table supamigrate.data_chunks add column if not exists snapshot text`);
}

export async function readCheckpoints(target: Db, tableId: string): Promise<ChunkCheckpoint[]> {
  const r = await target.query<{
    chunk_no: number;
    key_lo: string | null;
    key_hi: string | null;
    rows: string;
    checksum: string | null;
    snapshot: string | null;
  }>(
    'select chunk_no, key_lo, key_hi, rows, checksum, snapshot from supamigrate.data_chunks where table_id = $1 ' +
      'order by chunk_no',
    [tableId],
  );
  return r.rows.map((c) => ({
    chunkNo: c.chunk_no,
    keyLo: c.key_lo,
    keyHi: c.key_hi,
    rows: Number(c.rows),
    checksum: c.checksum,
    snapshot: c.snapshot,
  }));
}

export async function readCheckpoint(target: Db, tableId: string, chunkNo: number): Promise<ChunkCheckpoint | null> {
  const r = await target.query<{ key_lo: string | null; key_hi: string | null; rows: string; checksum: string | null }>(
    'select key_lo, key_hi, rows, checksum from supamigrate.data_chunks where table_id = $1 and chunk_no = $2',
    [tableId, chunkNo],
  );
  const c = r.rows[0];
  return c ? { chunkNo, keyLo: c.key_lo, keyHi: c.key_hi, rows: Number(c.rows), checksum: c.checksum } : null;
}

export async function recordCheckpoint(target: Db, tableId: string, c: ChunkCheckpoint): Promise<void> {
  await target.query(
    'insert into supamigrate.data_chunks (table_id, chunk_no, key_lo, key_hi, rows, checksum, snapshot) values ' +
      '($1, $2, $3, $4, $5, $6, $7)',
    [tableId, c.chunkNo, c.keyLo, c.keyHi, String(c.rows), c.checksum, c.snapshot ?? null],
  );
}

export async function forgetCheckpoints(target: Db, tableId: string): Promise<void> {
  const exists = await target.query<{ t: string | null }>("select to_regclass('supamigrate.data_chunks')::text as t");
  if (exists.rows[0]?.t) await target.query('delete from supamigrate.data_chunks where table_id = $1', [tableId]);
}

/** Per table, the snapshots its chunks were read in (none before its first chunk). */
export async function snapshotsByTable(target: Db, tableIds: string[]): Promise<Map<string, (string | null)[]>> {
  const exists = await target.query<{ t: string | null }>("select to_regclass('supamigrate.data_chunks')::text as t");
  if (!exists.rows[0]?.t) return new Map();
  const column = await target.query<{ n: string }>(
    `select count(*)::text as n from information_schema.columns
      where table_schema = 'supamigrate' and table_name = 'data_chunks' and column_name = 'snapshot'`,
  );
  const snapshot = column.rows[0].n === '0' ? 'null::text' : 'snapshot';
  const r = await target.query<{ id: string; snapshot: string | null }>(
    `select distinct table_id as id, ${snapshot} as snapshot from supamigrate.data_chunks
      where table_id = any($1) and chunk_no >= 0 order by 1, 2`,
    [tableIds],
  );
  const out = new Map<string, (string | null)[]>();
  for (const row of r.rows) out.set(row.id, [...(out.get(row.id) ?? []), row.snapshot]);
  return out;
}
