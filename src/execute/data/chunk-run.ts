import { type Db, setTimeouts } from '../../db';
import type { TableCopy } from '../../plan/data/types';
import { recordCheckpoint } from './checkpoints';
import { copyChunk, insertChunk, usesCopy, type LoadedChunk } from './load';
import type { Chunk } from './types';

/** Thrown inside a dry run's transaction so that it rolls back; carries what was loaded. */
export class DryRunRollback extends Error {
  constructor(readonly loaded: LoadedChunk) {
    super('dry run: rolled back');
  }
}

export interface ChunkWork {
  copy: TableCopy;
  chunk: Chunk;
  /** keyset: the key of the chunk's last row; null for the open-ended last chunk. */
  lastKey: string[] | null;
  dryRunLimit?: number;
  statementTimeoutSeconds?: number;
  /** The source snapshot the chunk is read in, recorded with its checkpoint. */
  snapshot?: string | null;
}

/**
 * Loads one chunk and records its checkpoint in the same target transaction, with triggers and
 * foreign-key checks off (`session_replication_role = replica`, local to the transaction).
 */
export async function runChunk(source: Db, target: Db, work: ChunkWork): Promise<LoadedChunk> {
  const { copy, chunk, lastKey, dryRunLimit } = work;
  const finish = async (tx: Db, loaded: LoadedChunk) => {
    if (dryRunLimit !== undefined) throw new DryRunRollback(loaded);
    await recordCheckpoint(tx, copy.id, {
      chunkNo: chunk.no,
      keyLo: copy.chunking === 'keyset' ? (chunk.after ? JSON.stringify(chunk.after) : null) : chunk.lo,
      keyHi: copy.chunking === 'keyset' ? (lastKey ? JSON.stringify(lastKey) : null) : chunk.hi,
      rows: loaded.rows,
      // Row checksums are computed in SQL by validation (dataChecksums), not on the hot path.
      checksum: null,
      snapshot: work.snapshot ?? null,
    });
    return loaded;
  };
  const inTarget = (write: (tx: Db) => Promise<LoadedChunk>) =>
    target.transaction(async (tx) => {
      // A chunk and its checkpoint are lost or kept together, so not waiting for the WAL flush
      // cannot break exactly-once: after a server crash the resume simply reloads them.
      await tx.exec(`set local session_replication_role = replica; set local synchronous_commit = off`);
      await setTimeouts(tx, { statementMs: (work.statementTimeoutSeconds ?? 0) * 1000 });
      return finish(tx, await write(tx));
    });
  try {
    if (usesCopy(copy, source, target))
      return await inTarget((tx) => copyChunk(source, tx, copy, chunk, lastKey, dryRunLimit));
    return await insertChunk(source, target, copy, chunk, lastKey, inTarget, dryRunLimit);
  } catch (err) {
    if (err instanceof DryRunRollback) return err.loaded;
    throw err;
  }
}
