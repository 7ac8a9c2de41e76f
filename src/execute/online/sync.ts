import type { Db } from '../../db';
import { UserError } from '../../errors';
import type { TableCopy } from '../../plan/data/types';
import { ChangeStream } from './stream';
import { copyLsnByTable, lsnCompare, type OnlineState, readOnlineState } from './state';

/** The target's online state, or an error that says what to run first. */
export async function requireOnlineState(target: Db): Promise<OnlineState> {
  const state = await readOnlineState(target);
  if (!state || !state.startLsn) {
    throw new UserError('no online migration was started on this target', 'run `supamigrate apply --online` first');
  }
  return state;
}

/** Starts streaming the slot's changes into `target` (a connection the stream may keep busy). */
export async function openChangeStream(sourceUrl: string, target: Db, copies: TableCopy[]): Promise<ChangeStream> {
  const state = await requireOnlineState(target);
  if (state.doneAt) throw new UserError('this target was already cut over', 'nothing to sync');
  const copyLsn = await copyLsnByTable(
    target,
    copies.map((c) => c.id),
  );
  const stream = new ChangeStream({
    sourceUrl,
    target,
    slot: state.slot,
    publication: state.publication,
    appliedLsn: state.appliedLsn ?? state.startLsn!,
    copies,
    copyLsn,
  });
  await stream.start();
  return stream;
}

export interface LagSample {
  /** Bytes of source WAL not yet on the target when sampled. */
  bytes: number;
  /** Time from sampling the source's WAL position until the target had everything before it. */
  seconds: number;
  position: string;
}

/**
 * Samples the source's WAL position and waits until the stream passes it; the time that takes
 * is the lag. Returns once a sample's lag is below `untilSeconds`.
 */
export async function catchUp(
  stream: ChangeStream,
  source: Db,
  untilSeconds: number,
  onSample?: (s: LagSample) => void,
  signal?: AbortSignal,
): Promise<LagSample> {
  for (;;) {
    const r = await source.query<{ lsn: string; behind: string }>(
      'select pg_current_wal_lsn()::text as lsn, pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::text as behind',
      [stream.position],
    );
    const started = Date.now();
    await stream.waitFor(r.rows[0].lsn, 24 * 3600_000);
    const sample = {
      bytes: Number(r.rows[0].behind),
      seconds: (Date.now() - started) / 1000,
      position: stream.position,
    };
    onSample?.(sample);
    if (sample.seconds < untilSeconds || signal?.aborted) return sample;
  }
}

export const reached = (position: string | null, lsn: string) => position !== null && lsnCompare(position, lsn) >= 0;
