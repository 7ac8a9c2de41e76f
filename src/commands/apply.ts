import { isSupabaseShaped } from '../bootstrap';
import { type Db, redactUrl, withDb } from '../db';
import { UserError } from '../errors';
import { type ApplyResult, applySteps, type ExecutableStep, loadExecutablePlan, type StepResult } from '../execute';
import type { DataEvent } from '../execute/data';
import { loadEvolutions } from '../execute/evolution-files';
import type { Spec } from '../spec/types';
import { dataRunner, postDataRunner } from './data-runner';
import { onlineSnapshotTaker } from './online-plan';
import {
  loadManifest,
  storageRunner,
  type StorageEndpoint,
  type StorageEvent,
  type TransferResult,
} from '../execute/storage';
import { verifyPlanLock } from './lock';
import { requireVectorSupport } from './vector-support';
import { layoutOf, requireUrl } from './project';

export type { ApplyResult };

async function requireSupabaseShape(db: Db, url: string): Promise<void> {
  const shape = await isSupabaseShaped(db);
  if (!shape.ok) {
    throw new UserError(
      `the target ${redactUrl(url)} is not a Supabase database (missing: ${shape.missing.join(', ')})`,
      `point --target at a Supabase project, or for local work run \`supamigrate bootstrap --target ${redactUrl(url)}\``,
    );
  }
}

export interface ApplyProjectOptions {
  target?: string;
  source?: string;
  dryRun?: boolean;
  onData?: (e: DataEvent) => void;
  onStep?: (r: StepResult, index: number, total: number) => void;
  onStorage?: (e: StorageEvent) => void;
  /** The Storage API to upload to (default: from target.supabase_url and target.service_role_key). */
  storage?: StorageEndpoint;
  /** Apply even when objects the plan owns changed outside supamigrate. */
  allowDrift?: boolean;
  /** Runs after the steps, while the source snapshot the data was read in is still held (apply --verify). */
  whileSnapshotHeld?: (r: ApplyResult) => Promise<void>;
  /** Stops apply after the step in flight (SIGINT, SIGTERM). */
  signal?: AbortSignal;
  /** Online migration: the copy reads in a replication slot's snapshot, for `sync` to continue from. */
  online?: boolean;
  /** Offer the data phase's range chunks to `apply --data-worker` processes. */
  shareData?: boolean;
}

/** What apply did, with each bucket's transfer (uploaded, refused and failed objects) when it moved files. */
export type ProjectApplyResult = ApplyResult & { storage: TransferResult[] };

/** `supamigrate apply`: the committed plan, applied to the target. */
export async function applyProject(spec: Spec, opts: ApplyProjectOptions = {}): Promise<ProjectApplyResult> {
  const steps = loadExecutablePlan(spec.dir, layoutOf(spec));
  verifyPlanLock(spec);
  const url = requireUrl(opts.target, spec, 'target');
  return withDb(
    url,
    async (db) => {
      await requireSupabaseShape(db, url);
      await requireVectorSupport(db, url, steps);
      const runData = steps.some((s) => s.phase === 'data') ? tableRunner(spec, opts, url, db, steps) : undefined;
      // Storage steps are data-phase steps too, run by the file transfer instead of the table copy.
      const buckets: TransferResult[] = [];
      const runAny =
        runData || steps.some((s) => s.kind === 'storage')
          ? dataPhaseRunner(spec, opts, db, runData, buckets)
          : undefined;
      const runParallel = postDataRunner(url, spec);
      try {
        const result = await applySteps(db, steps, {
          dryRun: opts.dryRun,
          statementTimeoutSeconds: spec.options.timeoutSeconds,
          onStep: opts.onStep,
          runData: runAny,
          runParallel,
          evolution: spec.evolution,
          allowDrift: opts.allowDrift,
          existing: spec.target.existingObjects,
          signal: opts.signal,
          evolutions: loadEvolutions(spec.dir, layoutOf(spec)),
        });
        await opts.whileSnapshotHeld?.(result);
        return { ...result, storage: buckets };
      } finally {
        await runData?.release();
      }
    },
    'target',
  );
}

/** The table copies and sequence values of the data phase, read in one snapshot of the source. */
function tableRunner(spec: Spec, opts: ApplyProjectOptions, url: string, db: Db, steps: ExecutableStep[]) {
  const sourceUrl = () => requireUrl(opts.source, spec, 'source');
  return dataRunner({
    sourceUrl,
    targetUrl: url,
    target: db,
    spec,
    onEvent: opts.onData,
    shareData: opts.shareData,
    ...(opts.online ? { takeSnapshot: onlineSnapshotTaker(sourceUrl, url, steps) } : {}),
  });
}

/** The data phase's batches: storage batches to the file transfer, the others to the table runner. */
function dataPhaseRunner(
  spec: Spec,
  opts: ApplyProjectOptions,
  db: Db,
  runData: ReturnType<typeof dataRunner> | undefined,
  buckets: TransferResult[],
) {
  const runStorage = storageRunner({
    spec,
    db,
    endpoint: opts.storage,
    onEvent: opts.onStorage,
    onBucket: (r) => buckets.push(r),
  });
  // A dry run uploads nothing: it only checks that each pinned manifest is there and unedited.
  const checkStorage = async (batch: ExecutableStep[]) =>
    new Map(
      batch.map((s) => [s.id, (s.type === 'storage-transfer' && loadManifest(spec.dir, s.transfer), null)] as const),
    );
  return (batch: ExecutableStep[], dryRunTarget?: Db, followers?: ExecutableStep[]) => {
    if (batch[0].kind === 'storage') return dryRunTarget ? checkStorage(batch) : runStorage(batch);
    return (runData as NonNullable<typeof runData>)(batch, dryRunTarget, followers);
  };
}
