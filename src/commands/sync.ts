import { openDb, withDb } from '../db';
import { catchUp, type LagSample, openChangeStream } from '../execute/online/sync';
import type { StreamCounts } from '../execute/online/stream';
import type { Spec } from '../spec/types';
import { onlinePlan } from './online-plan';
import { requireUrl } from './project';

export interface SyncOptions {
  source?: string;
  target?: string;
  /** Return once the lag is below this many seconds; without it, run until `signal`. */
  untilLagSeconds?: number;
  onSample?: (s: LagSample) => void;
  signal?: AbortSignal;
}

export interface SyncResult {
  last: LagSample;
  counts: StreamCounts;
}

/** `sync`: replays the source's changes since the copy onto the target through the engine. */
export async function syncProject(spec: Spec, o: SyncOptions = {}): Promise<SyncResult> {
  const sourceUrl = requireUrl(o.source, spec, 'source');
  const targetUrl = requireUrl(o.target, spec, 'target');
  const { copies } = onlinePlan(spec);
  const target = await openDb(targetUrl, 'target');
  try {
    const stream = await openChangeStream(sourceUrl, target, copies);
    try {
      const until = o.untilLagSeconds ?? 0;
      return await withDb(
        sourceUrl,
        async (source) => {
          let last = await catchUp(stream, source, until, o.onSample, o.signal);
          while (o.untilLagSeconds === undefined && !o.signal?.aborted) {
            await new Promise((r) => setTimeout(r, 1000));
            last = await catchUp(stream, source, Infinity, o.onSample, o.signal);
          }
          return { last, counts: stream.counts };
        },
        'source',
      );
    } finally {
      await stream.stop();
    }
  } finally {
    await target.close();
  }
}
