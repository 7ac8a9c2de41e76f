import type { Db } from '../db';
import { UserError } from '../errors';
import { type EvolutionPlan, planEvolution } from '../plan/evolve';
import type { EvolutionSpec } from '../spec/types';
import { type DriftItem, driftLines } from '../compare/drift';
import { ensureCheckpointTable, readCheckpoints } from './checkpoints';
import { assertEvolvable, recordedSteps, refreshMigrationHistory } from './evolve';
import { asPlanned, type ExecutableStep } from './executable';
import type { LoadedEvolution } from './evolution-files';
import { migrationHistory, recordEvolutionVersions, routeEvolutions } from './evolution-route';
import { adoptPushedSteps } from './adopt';
import { type DriftResult, detectDrift, forgetFingerprint, recordFingerprint } from './fingerprint';
import { withAdvisoryLock } from './lock';
import { type StepFailure, textFailure } from './pg-error';
import { checkExisting, type ExistingObject, type ExistingPolicy, STOP_ON_EXISTING } from './existing';
import { runDryRun } from './runners/dry-run';
import { runEvolutionTransaction } from './runners/evolution';
import { runNonTransactionalSteps } from './runners/non-transactional';
import { runPhases } from './runners/phases';
import { lastStepOfEachFile, recordCompletedFiles } from './runners/sql';
import {
  type ApplyRun,
  type DataRunner,
  type EvolutionResult,
  type ParallelRunner,
  type StepResult,
  type StepStatus,
  StepStopped,
} from './runners/types';

export type { EvolutionResult, StepResult, StepStatus } from './runners/types';

export interface ApplyResult {
  ok: boolean;
  dryRun: boolean;
  executed: number;
  skipped: number;
  changed: number;
  failed: number;
  steps: StepResult[];
  error: string | null;
  /** The failure that stopped apply (a step's, or a phase check's), as data. */
  failure: StepFailure | null;
  /** Changes that moved an applied target to this plan (empty on a fresh target). */
  evolution: EvolutionResult | null;
  /** Objects changed outside supamigrate that --allow-drift let through. */
  drift: DriftItem[];
  /** Objects the target held before apply that the spec said to adopt or skip (never created nor dropped). */
  existing: ExistingObject[];
  /** Stopped by `signal` between two steps: what ran is committed, the rest is pending. */
  interrupted?: boolean;
}

export interface ApplyOptions {
  dryRun?: boolean;
  statementTimeoutSeconds?: number;
  onStep?: (r: StepResult, index: number, total: number) => void;
  /**
   * Runs consecutive data steps of one kind (table loads, sequence values). They commit chunk by
   * chunk on their own connections, so they cannot share a step transaction; each step's
   * checkpoint is written once the runner reports it complete.
   */
  runData?: DataRunner;
  /**
   * Runs consecutive independent post-data steps (keys and indexes; then foreign keys) side by
   * side, each committing with its own checkpoint on its own connection (execute/data/post-data).
   * Calls onDone as each finishes; the result maps a step id to its error or null.
   */
  runParallel?: ParallelRunner;
  /** The spec's `evolution:` section: renames and the destructive changes it allows. */
  evolution?: EvolutionSpec;
  /** Apply even when objects the plan owns were changed outside supamigrate. */
  allowDrift?: boolean;
  /** `target.existing_objects`: objects the plan would create that the target already holds. */
  existing?: ExistingPolicy;
  /** Once aborted, apply stops after the step in flight has committed or rolled back. */
  signal?: AbortSignal;
  /** The committed evolution files, in version order (the plan lock lists them). */
  evolutions?: LoadedEvolution[];
}

const NO_EVOLUTION: EvolutionSpec = { allowDestructive: [], renames: { tables: {}, columns: {} } };

/**
 * Applies the plan: each pending step and its checkpoint in one transaction, under the target's
 * advisory lock. Steps already applied with the same checksum are skipped. When the target was
 * applied from another revision of the plan, the evolution planner's steps move it to this one
 * (renames, downs of removed and replaced steps, table alterations), in one transaction with the
 * plan's missing steps; destructive changes the spec does not allow stop it before anything runs,
 * and so do objects the plan owns that were changed outside supamigrate (drift). Each phase ends
 * with its check, and the next starts only when it holds.
 */
export async function applySteps(db: Db, steps: ExecutableStep[], opts: ApplyOptions = {}): Promise<ApplyResult> {
  return withAdvisoryLock(db, async () => {
    const history = await migrationHistory(db);
    // Nothing is written to a target without Supabase history before the existing-objects check.
    if (history.size > 0) await ensureCheckpointTable(db);
    // Steps of files that `supabase db push` ran are adopted first (their objects verified).
    const checkpoints = await adoptPushedSteps(db, steps, await readCheckpoints(db), history, opts.dryRun ?? false);
    const files = opts.evolutions ?? [];
    // The committed evolution files when the target needs them; else (a project without them)
    // the changes are computed here from what the target recorded.
    const fromFiles = routeEvolutions(recordedSteps(checkpoints), files, history);
    // An evolution that `supabase db push` ran changed the objects on purpose: not drift.
    const drift = await requireNoDrift(
      db,
      checkpoints.length > 0,
      opts,
      fromFiles?.steps.some((s) => s.adopted) ?? false,
    );
    // An applied target whose recorded steps differ from the plan is moved to it by evolution steps.
    const evolutionPlan =
      fromFiles ??
      (checkpoints.length > 0
        ? planEvolution(recordedSteps(checkpoints), steps.map(asPlanned), opts.evolution ?? NO_EVOLUTION)
        : null);
    if (evolutionPlan) assertEvolvable(evolutionPlan);
    const evolution = evolutionPlan && evolutionPlan.steps.length > 0 ? evolutionPlan : null;
    const run = await startRun(db, steps, opts, checkpoints, evolution);
    const finish = (failure: StepFailure | null, interrupted = false) => finished(run, drift, failure, interrupted);
    const outcome = await execute(run, opts, async (tx, ran) => {
      await refreshMigrationHistory(tx, steps, new Set([...run.applied, ...ran]));
      if (fromFiles)
        await recordEvolutionVersions(
          tx,
          files.filter((e) => !history.has(e.version)),
        );
    });
    if (outcome.failure || outcome.interrupted) return finish(outcome.failure, outcome.interrupted);
    if (!run.dryRun && (run.pending.length > 0 || evolution || !drift.checked || drift.items.length > 0))
      await recordFingerprint(db);
    // The target now holds the newest revision: evolutions it did not need are covered.
    const uncovered = files.filter((e) => !history.has(e.version));
    if (!run.dryRun && uncovered.length > 0) await db.transaction((tx) => recordEvolutionVersions(tx, uncovered));
    return finish(null);
  });
}

/** Stops before touching a target whose owned objects changed outside supamigrate (unless allowed). */
async function requireNoDrift(db: Db, applied: boolean, opts: ApplyOptions, pushed: boolean): Promise<DriftResult> {
  const drift = applied ? await detectDrift(db) : { checked: false, items: [] };
  if (drift.items.length > 0 && !opts.allowDrift && !pushed) {
    throw new UserError(
      `the target has objects the plan owns that were changed outside supamigrate; apply stops before touching it\n${driftLines(drift.items).join('\n')}`,
      'undo those changes on the target (or put them in the source and re-plan), then apply again; `supamigrate ' +
        'apply --allow-drift` applies anyway and records the target as it is',
    );
  }
  return drift;
}

type Run = ApplyRun & { applied: Set<string> };

/** The results as they stand before anything runs: what the target recorded, and what is pending. */
async function startRun(
  db: Db,
  steps: ExecutableStep[],
  opts: ApplyOptions,
  checkpoints: { stepId: string; checksum: string }[],
  evolution: EvolutionPlan | null,
): Promise<Run> {
  // What the target will have recorded once the evolution steps ran: the rest is pending.
  const applied = new Set(checkpoints.map((c) => c.stepId));
  for (const e of evolution?.steps ?? []) {
    for (const c of e.changes) if (c.before) applied.delete(c.before.id);
    for (const c of e.changes) if (c.after) applied.add(c.after.id);
    if (e.create) applied.add(e.target);
  }
  const results: StepResult[] = steps.map((s) => ({
    id: s.id,
    phase: s.phase,
    kind: s.kind,
    status: 'not-run',
    ms: 0,
  }));
  steps.forEach((s, i) => {
    const before = checkpoints.find((c) => c.stepId === s.id);
    if (applied.has(s.id)) results[i].status = before?.checksum === s.checksum ? 'skipped' : 'evolved';
  });
  const pending = steps.map((s, i) => ({ s, i })).filter(({ s }) => !applied.has(s.id));
  // Nothing is written to the target before this check (not even the checkpoint table).
  const existing = evolution
    ? new Map<string, ExistingObject>()
    : await checkExisting(
        db,
        pending.map((p) => p.s),
        opts.existing ?? STOP_ON_EXISTING,
      );
  await ensureCheckpointTable(db);
  if (opts.runParallel && !opts.dryRun && !evolution) await recordCompletedFiles(db, steps, applied);
  return {
    db,
    steps,
    results,
    pending,
    existing,
    applied,
    evolution,
    evolutionResults: evolution && { revision: evolution.revision, steps: evolution.steps.map(evolutionRow) },
    lastOfFile: lastStepOfEachFile(steps),
    limits: { statementTimeoutSeconds: opts.statementTimeoutSeconds ?? 0 },
    dryRun: opts.dryRun ?? false,
    runData: opts.runData,
    runParallel: opts.runParallel,
    signal: opts.signal,
    onStep: opts.onStep,
    report: (i) => opts.onStep?.(results[i], i, steps.length),
  };
}

function evolutionRow(e: EvolutionPlan['steps'][number]): EvolutionResult['steps'][number] {
  const { id, action, target, summary, sql, reverse, destructive } = e;
  return {
    id,
    phase: 'evolve',
    kind: action,
    status: 'not-run',
    ms: 0,
    action,
    target,
    summary,
    sql,
    reverse,
    destructive,
  };
}

/** The dry run, or the evolution transaction and then the phases; the failure that stopped it. */
async function execute(
  run: Run,
  opts: ApplyOptions,
  afterEvolution: (tx: Db, ran: string[]) => Promise<void>,
): Promise<{ failure: StepFailure | null; interrupted?: boolean }> {
  if (!run.dryRun && (run.pending.length > 0 || run.evolution)) await forgetFingerprint(run.db);
  let committed = false;
  try {
    if (run.dryRun) {
      await runDryRun(run);
      return { failure: null, interrupted: opts.signal?.aborted === true };
    }
    if (run.evolution) await runEvolutionTransaction(run, afterEvolution);
    committed = true;
    if (run.evolution) await runNonTransactionalSteps(run);
    return await runPhases(run);
  } catch (err) {
    // A failed evolution transaction takes every step that ran in it back with it.
    const all = [...run.results, ...(run.evolutionResults?.steps ?? [])];
    if (run.evolution && !committed) for (const r of all) if (r.status === 'executed') r.status = 'not-run';
    if (err instanceof StepStopped) return { failure: err.failure };
    return { failure: all.find((r) => r.status === 'failed')?.failure ?? textFailure('', String(err)) };
  }
}

/** The result: counts, the first failure (as text and as data), the evolution, drift and existing objects. */
function finished(run: Run, drift: DriftResult, failure: StepFailure | null, interrupted: boolean): ApplyResult {
  const all = [...run.results, ...(run.evolutionResults?.steps ?? [])];
  const failedStep = all.find((r) => r.status === 'failed');
  const error =
    failure === null
      ? null
      : failure.step.startsWith('check:')
        ? `${failure.message}\n  fix: ${failure.hint}`
        : (failedStep?.error ?? failure.message);
  const count = (st: StepStatus) => run.results.filter((r) => r.status === st).length;
  const evolutionFailed = run.evolutionResults?.steps.filter((r) => r.status === 'failed').length ?? 0;
  return {
    ok: error === null && !interrupted,
    dryRun: run.dryRun,
    executed: count('executed'),
    skipped: count('skipped'),
    changed: count('changed'),
    failed: count('failed') + evolutionFailed,
    steps: run.results,
    error,
    failure: failure === null ? null : (failedStep?.failure ?? failure),
    evolution: run.evolutionResults,
    drift: drift.items,
    existing: [...run.existing.values()],
    ...(interrupted ? { interrupted } : {}),
  };
}
