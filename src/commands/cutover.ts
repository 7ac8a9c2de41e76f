import { type Db, openDb, withDb } from '../db';
import { applySequenceResets, type SequenceResetResult } from '../execute/data';
import { prepareSession } from '../execute/data/session';
import { dropReplication } from '../execute/online/begin';
import { readOnlineState } from '../execute/online/state';
import { openChangeStream, reached, requireOnlineState } from '../execute/online/sync';
import { stopWrites, writeStopFor, type WriteStop } from '../execute/online/write-stop';
import type { Spec } from '../spec/types';
import { compareData, type TableParity } from '../validate';
import { onlinePlan } from './online-plan';
import { requireUrl } from './project';

export interface CutoverOptions {
  source?: string;
  target?: string;
  /** Default: the spec's `online.write_stop` (and `online.app_role`). */
  writeStop?: WriteStop;
  /** How long open sessions on the source may take to end (default: the spec's `online.session_wait_seconds`). */
  sessionWaitSeconds?: number;
  /** How long the target may take to replay up to the fence. */
  replayTimeoutSeconds?: number;
  onPhase?: (phase: string) => void;
}

export interface CutoverResult {
  ok: boolean;
  alreadyDone: boolean;
  fenceLsn: string | null;
  sequences: SequenceResetResult[];
  parity: TableParity[];
  /** From the write stop to the target being ready, measured on the target's clock. */
  downtimeMs: number | null;
  writeStop: string | null;
}

/**
 * `cutover`: stop writes on the source, fence with an LSN taken after the stop, replay up to
 * it, set sequences, compare checksums, then drop the slot and the publication. Each phase is
 * recorded on the target, so a re-run after a kill continues where it stopped.
 */
export async function cutoverProject(spec: Spec, o: CutoverOptions): Promise<CutoverResult> {
  const sourceUrl = requireUrl(o.source, spec, 'source');
  const targetUrl = requireUrl(o.target, spec, 'target');
  const { copies, resets } = onlinePlan(spec);
  const writeStop = o.writeStop ?? writeStopFor(spec.online);
  const sessionWait = o.sessionWaitSeconds ?? spec.online.sessionWaitSeconds;
  return withDb(
    targetUrl,
    async (target) => {
      let state = await requireOnlineState(target);
      if (state.doneAt)
        return { ...done(state.fenceLsn, state.writeStop), alreadyDone: true, downtimeMs: await downtime(target) };
      return withDb(
        sourceUrl,
        async (source) => {
          // After the write stop, new source sessions start read-only; ours drops the slot and the publication.
          await source.exec('set default_transaction_read_only = off');
          if (!state.stoppedAt) {
            o.onPhase?.(`stopping writes (${writeStop.method})`);
            const fence = await stopWrites(source, writeStop, sessionWait);
            await target.query(
              'update supamigrate.online_sync set stopped_at = clock_timestamp(), fence_lsn = $1, write_stop = $2',
              [fence, writeStop.method],
            );
            state = (await readOnlineState(target))!;
          }
          o.onPhase?.(`replaying up to ${state.fenceLsn}`);
          await replayTo(sourceUrl, targetUrl, copies, state.fenceLsn!, (o.replayTimeoutSeconds ?? 300) * 1000);
          o.onPhase?.('setting sequences');
          await prepareSession(source);
          await prepareSession(target);
          const sequences = await applySequenceResets(source, target, resets);
          o.onPhase?.('comparing checksums');
          const parity = await compareData(source, target, copies, spec.data.batchSize * spec.data.checkpointInterval, {
            asOf: 'now',
          });
          if (!parity.every((t) => t.ok))
            return { ...done(state.fenceLsn, state.writeStop), ok: false, sequences, parity };
          o.onPhase?.('dropping the slot and the publication');
          await dropReplication(source, state.slot, state.publication);
          await target.query('update supamigrate.online_sync set done_at = clock_timestamp()');
          return { ...done(state.fenceLsn, state.writeStop), sequences, parity, downtimeMs: await downtime(target) };
        },
        'source',
      );
    },
    'target',
  );
}

const done = (fenceLsn: string | null, writeStop: string | null): CutoverResult => ({
  ok: true,
  alreadyDone: false,
  fenceLsn,
  sequences: [],
  parity: [],
  downtimeMs: null,
  writeStop,
});

/** Milliseconds from the recorded write stop to the recorded end, both on the target's clock. */
async function downtime(target: Db): Promise<number | null> {
  const r = await target.query<{ ms: string | null }>(
    'select (extract(epoch from done_at - stopped_at) * 1000)::bigint::text as ms from supamigrate.online_sync',
  );
  return r.rows[0]?.ms == null ? null : Number(r.rows[0].ms);
}

/**
 * Replays until the target holds everything before the fence: through a stream of our own, or,
 * when a `sync` process already streams the slot, by watching the position it records.
 */
async function replayTo(
  sourceUrl: string,
  targetUrl: string,
  copies: ReturnType<typeof onlinePlan>['copies'],
  fence: string,
  timeoutMs: number,
) {
  const target = await openDb(targetUrl, 'target');
  try {
    if (await slotActive(sourceUrl, target)) return await watchPosition(target, fence, timeoutMs);
    const stream = await openChangeStream(sourceUrl, target, copies);
    try {
      await stream.waitFor(fence, timeoutMs);
    } finally {
      await stream.stop();
    }
  } finally {
    await target.close();
  }
}

async function slotActive(sourceUrl: string, target: Db): Promise<boolean> {
  const state = await requireOnlineState(target);
  return withDb(
    sourceUrl,
    async (s) => {
      const r = await s.query<{ active: boolean }>('select active from pg_replication_slots where slot_name = $1', [
        state.slot,
      ]);
      return r.rows[0]?.active === true;
    },
    'source',
  );
}

async function watchPosition(target: Db, fence: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!reached((await requireOnlineState(target)).appliedLsn, fence)) {
    if (Date.now() > until) throw new Error(`the running sync did not reach ${fence} in time`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
