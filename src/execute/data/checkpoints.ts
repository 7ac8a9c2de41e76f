import type { Db } from '../../db';

/** A committed chunk as recorded on the target, in the same transaction as its rows. */
export interface ChunkCheckpoint {
  chunkNo: number;
  keyLo: string | null;
  keyHi: string | null;
  rows: number;
  checksum: string | null;
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
)`);
}

export async function readCheckpoints(target: Db, tableId: string): Promise<ChunkCheckpoint[]> {
  const r = await target.query<{ chunk_no: number; key_lo: string | null; key_hi: string | null; rows: string; checksum: string | null }>(
    'select chunk_no, key_lo, key_hi, rows, checksum from supamigrate.data_chunks where table_id = $1 order by chunk_no',
    [tableId],
  );
  return r.rows.map((c) => ({ chunkNo: c.chunk_no, keyLo: c.key_lo, keyHi: c.key_hi, rows: Number(c.rows), checksum: c.checksum }));
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
    'insert into supamigrate.data_chunks (table_id, chunk_no, key_lo, key_hi, rows, checksum) values ($1, $2, $3, $4, $5, $6)',
    [tableId, c.chunkNo, c.keyLo, c.keyHi, String(c.rows), c.checksum],
  );
}

export async function forgetCheckpoints(target: Db, tableId: string): Promise<void> {
  const exists = await target.query<{ t: string | null }>("select to_regclass('supamigrate.data_chunks')::text as t");
  if (exists.rows[0]?.t) await target.query('delete from supamigrate.data_chunks where table_id = $1', [tableId]);
}
