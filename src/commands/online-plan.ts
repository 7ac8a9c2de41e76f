import { type Db, openDb, withDb } from '../db';
import { readOnlineState } from '../execute/online/state';
import { type SyncStatus, syncStatus } from '../execute/online/status';
import { type ExecutableStep, loadExecutablePlan } from '../execute';
import { dropReplication, takeOnlineSnapshot } from '../execute/online/begin';
import type { SequenceReset, TableCopy } from '../plan/data/types';
import type { Spec } from '../spec/types';
import { layoutOf, requireUrl } from './project';
import { onlinePreflight, type PreflightCheck } from '../execute/online/preflight';

/** The committed plan's table copies and sequence resets, which sync and cutover act on. */
export function onlinePlan(spec: Spec): { copies: TableCopy[]; resets: SequenceReset[] } {
  const steps = loadExecutablePlan(spec.dir, layoutOf(spec));
  return {
    copies: copiesOf(steps),
    resets: steps.flatMap((s) => (s.type === 'sequence-reset' ? s.resets : [])),
  };
}

function copiesOf(steps: ExecutableStep[]): TableCopy[] {
  return steps.flatMap((s) => (s.type === 'table-copy' ? [s.copy] : []));
}

/**
 * `apply --online`: the data runner's snapshot comes from the replication slot (with its
 * publication), so `sync` replays from exactly where the copy read.
 */
export function onlineSnapshotTaker(sourceUrl: () => string, targetUrl: string, steps: ExecutableStep[]) {
  return async () => {
    const source = await openDb(sourceUrl(), 'source');
    let target: Db | null = null;
    try {
      target = await openDb(targetUrl, 'target');
      return await takeOnlineSnapshot(
        source,
        sourceUrl(),
        target,
        copiesOf(steps).map((c) => c.source),
      );
    } finally {
      await target?.close();
      await source.close();
    }
  };
}

/** `analyze --online`: what online mode needs from the source and the target, before anything starts. */
export async function onlinePreflightProject(
  spec: Spec,
  o: { source?: string; target?: string },
): Promise<PreflightCheck[]> {
  const { copies } = onlinePlan(spec);
  const source = await openDb(requireUrl(o.source, spec, 'source'), 'source');
  let target: Db | null = null;
  try {
    if (o.target || spec.target.url)
      target = await openDb(requireUrl(o.target, spec, 'target'), 'target').catch(() => null);
    return await onlinePreflight(
      source,
      copies.map((c) => c.source),
      target,
    );
  } finally {
    await target?.close();
    await source.close();
  }
}

/** `status --sync` for this project; null when no online migration was started on the target. */
export async function syncStatusProject(
  spec: Spec,
  o: { source?: string; target?: string; maxRetainedBytes: number },
): Promise<SyncStatus | null> {
  return withDb(
    requireUrl(o.target, spec, 'target'),
    async (target) => {
      const state = await readOnlineState(target);
      if (!state?.startLsn) return null;
      const ids = onlinePlan(spec).copies.map((c) => c.id);
      return withDb(
        requireUrl(o.source, spec, 'source'),
        (source) => syncStatus(source, target, state, ids, o.maxRetainedBytes),
        'source',
      );
    },
    'target',
  );
}

/** Rollback of an online migration: the slot and the publication leave the source, so no WAL is kept for us. */
export async function releaseOnlineSource(spec: Spec, o: { source?: string; target?: string }): Promise<string | null> {
  return withDb(
    requireUrl(o.target, spec, 'target'),
    async (target) => {
      const state = await readOnlineState(target);
      if (!state) return null;
      await withDb(
        requireUrl(o.source, spec, 'source'),
        async (source) => {
          await source.exec('set default_transaction_read_only = off');
          await dropReplication(source, state.slot, state.publication);
        },
        'source',
      );
      await target.exec('delete from supamigrate.online_sync; delete from supamigrate.online_snapshots');
      return state.slot;
    },
    'target',
  );
}
