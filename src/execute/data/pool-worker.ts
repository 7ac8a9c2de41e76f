import type { Db } from '../../db';
import { ConnectionPair } from './connections';
import { claimAnyChunk, poolRun } from './pool';
import { isTransient, prepareSession, sleep } from './session';
import { isSnapshotGone } from './snapshot';

export interface DataWorkerOptions {
  connectSource: () => Promise<Db>;
  connectTarget: () => Promise<Db>;
  /** How long to wait for a leader to open a shared run before giving up (seconds). */
  waitSeconds: number;
  statementTimeoutSeconds?: number;
  onChunk?: (c: { table: string; chunk: number; rows: number }) => void;
  signal?: AbortSignal;
  pollMs?: number;
}

export interface DataWorkerResult {
  chunks: number;
  rows: number;
  /** Why the worker stopped: the run closed, or no leader opened one in time. */
  ended: 'run closed' | 'no run' | 'interrupted';
}

/**
 * `apply --data-worker`: loads chunks from the pool the leader (`apply --share-data`) offers, each
 * in the leader's exported snapshot, until the leader closes the run. The leader keeps holding the
 * snapshot (its own export, or the online slot's) until every offer is loaded, so a worker can
 * import it at any time. A connection drop reconnects; any other error stops this worker (the
 * chunk goes back to the pool, and the leader reports the failure when it meets it).
 */
export async function runDataWorker(o: DataWorkerOptions): Promise<DataWorkerResult> {
  const poll = o.pollMs ?? 200;
  const started = Date.now();
  const result: DataWorkerResult = { chunks: 0, rows: 0, ended: 'run closed' };
  let pair: ConnectionPair | null = null;
  let pairSnapshot: string | null = null;
  let seenOpen = false;
  let goneSince: number | null = null;
  const control = await prepareSession(await o.connectTarget());
  try {
    for (;;) {
      if (o.signal?.aborted) return { ...result, ended: 'interrupted' };
      const run = await poolRun(control);
      if (!run?.open || !run.snapshot) {
        if (seenOpen) return result;
        if (Date.now() - started > o.waitSeconds * 1000) return { ...result, ended: 'no run' };
        await sleep(poll);
        continue;
      }
      seenOpen = true;
      if (!pair || pairSnapshot !== run.snapshot) {
        await pair?.discard();
        pair = new ConnectionPair(o.connectSource, o.connectTarget, run.snapshot);
        pairSnapshot = run.snapshot;
      }
      const claimed = await claimOnce(pair, run.snapshot, o);
      if (claimed === 'snapshot gone') {
        // The leader closes the run before it lets the snapshot go; an open run without its
        // snapshot means the leader died. Its re-run opens a new run, else we give up.
        goneSince ??= Date.now();
        if (Date.now() - goneSince > o.waitSeconds * 1000)
          throw new Error(`the leader's snapshot ${run.snapshot} is gone and no new run was opened`);
        await sleep(poll);
        continue;
      }
      goneSince = null;
      if (!claimed) {
        await sleep(poll);
        continue;
      }
      result.chunks += 1;
      result.rows += claimed.rows;
      o.onChunk?.(claimed);
    }
  } finally {
    await pair?.discard();
    await control.close().catch(() => undefined);
  }
}

async function claimOnce(pair: ConnectionPair, snapshot: string, o: DataWorkerOptions) {
  try {
    const { source, target } = await pair.open();
    const outcome = await claimAnyChunk(source, target, {
      snapshot,
      statementTimeoutSeconds: o.statementTimeoutSeconds,
    });
    return outcome?.kind === 'loaded' ? outcome : null;
  } catch (err) {
    await pair.discard();
    if (isSnapshotGone(err)) return 'snapshot gone' as const;
    if (isTransient(err)) return null;
    throw err;
  }
}
