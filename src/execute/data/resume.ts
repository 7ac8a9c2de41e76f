import type { Db } from '../../db';
import type { TableCopy } from '../../plan/data/types';
import { GEOMETRY_CHUNK, forgetCheckpoints, readCheckpoints, type ChunkCheckpoint } from './checkpoints';
import { splitRange } from './chunks';
import { targetTable } from './statements';

/** True when the checkpoints cover every chunk of the table. */
export function isFinished(copy: TableCopy, recorded: ChunkCheckpoint[]): boolean {
  const chunks = recorded.filter((c) => c.chunkNo !== GEOMETRY_CHUNK);
  if (copy.chunking === 'whole') return chunks.some((c) => c.chunkNo === 0);
  if (copy.chunking === 'keyset') return chunks.length > 0 && chunks[chunks.length - 1].keyHi === null;
  const geometry = recorded.find((c) => c.chunkNo === GEOMETRY_CHUNK);
  const done = new Set(chunks.map((c) => c.chunkNo));
  return geometry !== undefined && splitRange(geometry).every((c) => done.has(c.no));
}

/**
 * A table partly loaded in another snapshot (the process that held it died) would mix two
 * instants of the source in one table, so it starts again whole: its rows and its checkpoints go
 * in one transaction. A finished table is kept whatever snapshot it was read in. True when the
 * table was emptied.
 */
export async function restartIfStale(target: Db, copy: TableCopy, snapshot: string | null): Promise<boolean> {
  if (snapshot === null) return false;
  const recorded = await readCheckpoints(target, copy.id);
  if (recorded.length === 0 || isFinished(copy, recorded)) return false;
  if (recorded.every((c) => c.snapshot === snapshot)) return false;
  await target.transaction(async (tx) => {
    await tx.exec(`truncate table only ${targetTable(copy)}`);
    await forgetCheckpoints(tx, copy.id);
  });
  return true;
}
