import type { TableCopy } from '../../plan/data/types';
import type { ConnectionPair } from './connections';
import { findRejectedRow, keyAtLine, RejectedBatch } from './load';
import { isSnapshotGone } from './snapshot';
import type { Chunk, ChunkFailure } from './types';

/** Turns a chunk's final error into a report: Postgres's message and, when one row is to blame, its key. */
export async function describeFailure(
  conn: ConnectionPair,
  copy: TableCopy,
  chunk: Chunk,
  lastKey: string[] | null,
  err: unknown,
): Promise<ChunkFailure> {
  const cause = err instanceof RejectedBatch ? err.cause : err;
  const pgErr = cause as { message?: string; code?: string; detail?: string; where?: string };
  const lost = isSnapshotGone(cause)
    ? ' (the connection holding the source snapshot ended; apply again: partly loaded tables restart whole in a ' +
      'new one)'
    : '';
  const message = [pgErr.message ?? String(cause), pgErr.detail].filter(Boolean).join(': ') + lost;
  const code = typeof pgErr.code === 'string' && /^[0-9A-Z]{5}$/.test(pgErr.code) ? pgErr.code : null;
  let rowKey: string | null = null;
  try {
    const { source, target } = await conn.open();
    if (err instanceof RejectedBatch) rowKey = await findRejectedRow(target, copy, err.rows);
    // The COPY context line ("COPY t, line 3, column c: ..."); an input function may add its own
    // context above it (jsonb's "JSON data, line 1: ..."), which is not the row.
    const copyContext = (pgErr.where ?? '')
      .split('\n')
      .reverse()
      .find((l) => l.startsWith('COPY '));
    const line = /, line (\d+)(?:, column |: |$)/.exec(copyContext ?? '');
    if (!rowKey && line) rowKey = await keyAtLine(source, copy, chunk, lastKey, Number(line[1]));
  } catch {
    // The report still names the table, chunk and message; the key is a bonus.
  }
  return { chunk: chunk.no, message, rowKey, code };
}
