import type { Db } from '../db';
import { UserError } from '../errors';
import { type EvolutionStep, planEvolution } from '../plan/evolve';
import type { EvolutionSpec } from '../spec/types';
import { type DriftItem, driftLines } from '../validate/drift';
import { ensureCheckpointTable, readCheckpoints, recordCheckpoint } from './checkpoints';
import { assertEvolvable, recordedSteps, refreshMigrationHistory, runEvolutionStep } from './evolve';
import { asPlanned, type ExecutableStep } from './executable';
import type { LoadedEvolution } from './evolution-files';
import { LOCK_WAIT, migrationHistory, recordEvolutionVersions, routeEvolutions, withLockRetries } from './evolution-route';
import { adoptPushedSteps } from './adopt';
import { detectDrift, forgetFingerprint, recordFingerprint } from './fingerprint';
import { withAdvisoryLock } from './lock';
import { describePgError } from './pg-error';
import { checkExisting, type ExistingObject, type ExistingPolicy, STOP_ON_EXISTING } from './existing';
import { parallelGroup } from './data/post-data';

export type StepStatus = 'executed' | 'skipped' | 'changed' | 'failed' | 'not-run' | 'checked' | 'evolved' | 'adopted';

export interface StepResult {
  id: string;
  phase: string;
  kind: string;
  status: StepStatus;
  ms: number;
  error?: string;
}

export interface ApplyResult {
  ok: boolean;
  dryRun: boolean;
  executed: number;
  skipped: number;
  changed: number;
  failed: number;
  steps: StepResult[];
  error: string | null;
  /** Changes that moved an applied target to this plan (empty on a fresh target). */
  evolution: EvolutionResult | null;
  /** Objects changed outside supamigrate that --allow-drift let through. */
  drift: DriftItem[];
  /** Objects the target held before apply that the spec said to adopt or skip (never created nor dropped). */
  existing: ExistingObject[];
  /** Stopped by `signal` between two steps: what ran is committed, the rest is pending. */
  interrupted?: boolean;
}

export interface EvolutionResult {
  revision: string;
  steps: (StepResult & Pick<EvolutionStep, 'action' | 'target' | 'summary' | 'sql' | 'reverse' | 'destructive'>)[];
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
  runData?: (steps: ExecutableStep[], dryRunTarget?: Db, followers?: ExecutableStep[]) => Promise<Map<string, string | null>>;
  /**
   * Runs consecutive independent post-data steps (keys and indexes; then foreign keys) side by
   * side, each committing with its own checkpoint on its own connection (execute/data/post-data).
   * Calls onDone as each finishes; the result maps a step id to its error or null.
   */
  runParallel?: (steps: ExecutableStep[], onDone: (id: string, error: string | null, ms: number) => void) => Promise<Map<string, { error: string | null }>>;
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

const isDataStep = (s: ExecutableStep) => s.phase === 'data';

/**
 * Applies the plan: each pending step and its checkpoint in one transaction, under the target's
 * advisory lock. Steps already applied with the same checksum are skipped. When the target was
 * applied from another revision of the plan, the evolution planner's steps move it to this one
 * (renames, downs of removed and replaced steps, table alterations), in one transaction with the
 * plan's missing steps; destructive changes the spec does not allow stop it before anything runs,
 * and so do objects the plan owns that were changed outside supamigrate (drift).
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
    const pushed = fromFiles?.steps.some((s) => s.adopted) ?? false;
    const drift = checkpoints.length > 0 ? await detectDrift(db) : { checked: false, items: [] };
    if (drift.items.length > 0 && !opts.allowDrift && !pushed) {
      throw new UserError(
        `the target has objects the plan owns that were changed outside supamigrate; apply stops before touching it\n${driftLines(drift.items).join('\n')}`,
        'undo those changes on the target (or put them in the source and re-plan), then apply again; `supamigrate apply --allow-drift` applies anyway and records the target as it is',
      );
    }
    // An applied target whose recorded steps differ from the plan is moved to it by evolution steps.
    const evolutionPlan = fromFiles ?? (checkpoints.length > 0 ? planEvolution(recordedSteps(checkpoints), steps.map(asPlanned), opts.evolution ?? NO_EVOLUTION) : null);
    if (evolutionPlan) assertEvolvable(evolutionPlan);
    const evolution = evolutionPlan && evolutionPlan.steps.length > 0 ? evolutionPlan : null;
    // What the target will have recorded once the evolution steps ran: the rest is pending.
    const applied = new Set(checkpoints.map((c) => c.stepId));
    for (const e of evolution?.steps ?? []) {
      for (const c of e.changes) if (c.before) applied.delete(c.before.id);
      for (const c of e.changes) if (c.after) applied.add(c.after.id);
      if (e.create) applied.add(e.target);
    }
    const results: StepResult[] = steps.map((s) => ({ id: s.id, phase: s.phase, kind: s.kind, status: 'not-run', ms: 0 }));
    steps.forEach((s, i) => {
      const before = checkpoints.find((c) => c.stepId === s.id);
      if (applied.has(s.id)) results[i].status = before?.checksum === s.checksum ? 'skipped' : 'evolved';
    });
    const evolutionResults: EvolutionResult | null = evolution && {
      revision: evolution.revision,
      steps: evolution.steps.map((e) => ({ id: e.id, phase: 'evolve', kind: e.action, status: 'not-run', ms: 0, action: e.action, target: e.target, summary: e.summary, sql: e.sql, reverse: e.reverse, destructive: e.destructive })),
    };
    const finish = (error: string | null) => {
      const summary = summarize(results, opts.dryRun ?? false, error);
      const evolutionFailed = evolutionResults?.steps.filter((r) => r.status === 'failed').length ?? 0;
      return { ...summary, failed: summary.failed + evolutionFailed, evolution: evolutionResults, drift: drift.items, existing: [...existing.values()] };
    };
    const pending = steps.map((s, i) => ({ s, i })).filter(({ s }) => !applied.has(s.id));
    // Nothing is written to the target before this check (not even the checkpoint table).
    const existing = evolution ? new Map<string, ExistingObject>() : await checkExisting(db, pending.map((p) => p.s), opts.existing ?? STOP_ON_EXISTING);
    await ensureCheckpointTable(db);
    if (opts.runParallel && !opts.dryRun && !evolution) await recordCompletedFiles(db, steps, applied);
    const lastOfFile = lastStepOfEachFile(steps);
    const timeout = `${(opts.statementTimeoutSeconds ?? 0) * 1000}`;
    const runOne = async (tx: Db, s: ExecutableStep, i: number) => {
      const started = Date.now();
      try {
        if (existing.has(s.id)) {
          // The object was the target's before apply: recorded so the plan moves on, never dropped.
          await recordCheckpoint(tx, { ...asPlanned(s), down: `-- ${s.id} existed on the target before apply (${existing.get(s.id)?.treatment}); rollback leaves it\n` });
          results[i].status = 'adopted';
          return;
        }
        await tx.exec(s.body);
        await recordCheckpoint(tx, asPlanned(s));
        if (s.file && lastOfFile.get(s.file) === s.id) await recordMigrationVersion(tx, s.file, steps);
        results[i].status = opts.dryRun ? 'checked' : 'executed';
      } catch (err) {
        results[i].status = 'failed';
        results[i].error = describePgError(err, s.body, s.file, s.line);
        throw err;
      } finally {
        results[i].ms = Date.now() - started;
      }
    };
    // Progress is reported once the step's transaction has committed (or failed), never before.
    const report = (i: number) => opts.onStep?.(results[i], i, steps.length);
    const runEvolution = async (tx: Db) => {
      for (const [k, e] of (evolution?.steps ?? []).entries()) {
        const r = (evolutionResults as EvolutionResult).steps[k];
        const started = Date.now();
        try {
          await runEvolutionStep(tx, e);
          // Adopted: `supabase db push` ran the file; only its checkpoint rows were written now.
          r.status = opts.dryRun ? 'checked' : e.adopted ? 'adopted' : 'executed';
        } catch (err) {
          r.status = 'failed';
          r.error = describePgError(err, e.sql, `evolution step ${e.id}`, 1);
          throw err;
        } finally {
          r.ms = Date.now() - started;
          opts.onStep?.(r, k, evolution?.steps.length ?? 0);
        }
      }
    };
    if (!opts.dryRun && (pending.length > 0 || evolution)) await forgetFingerprint(db);
    let committed = false;
    try {
      if (opts.dryRun) {
        await rolledBack(db, async (tx) => {
          await tx.query(`select set_config('statement_timeout', $1, true)`, [timeout]);
          await runEvolution(tx);
          for (let k = 0; k < pending.length && !opts.signal?.aborted; k++) {
            const { s, i } = pending[k];
            if (isDataStep(s) && opts.runData) {
              // Each table's first batch goes into this transaction (the only place its new
              // schema exists), under a savepoint that is rolled back.
              const batch = [pending[k]];
              while (k + 1 < pending.length && isDataStep(pending[k + 1].s) && pending[k + 1].s.kind === s.kind) batch.push(pending[++k]);
              await runDataBatch(tx, batch, results, opts, report, tx);
              continue;
            }
            try {
              if (!isDataStep(s)) await runOne(tx, s, i);
            } finally {
              report(i);
            }
          }
        });
      } else {
        if (evolution) {
          // The whole move to the new revision commits at once: the evolution steps, then the
          // plan's missing SQL steps in plan order. Data loads need their own connections, after.
          const sqlSteps = pending.filter(({ s }) => !isDataStep(s));
          // Waiting behind a long query's lock would queue every query behind the ALTER: wait a
          // little, give up, and try the whole transaction again.
          await withLockRetries(() => db.transaction(async (tx) => {
            await tx.query(`select set_config('statement_timeout', $1, true), set_config('lock_timeout', $2, true)`, [timeout, LOCK_WAIT]);
            await runEvolution(tx);
            for (const { s, i } of sqlSteps) {
              try {
                await runOne(tx, s, i);
              } finally {
                report(i);
              }
            }
            await refreshMigrationHistory(tx, steps, new Set([...applied, ...sqlSteps.map(({ s }) => s.id)]));
            if (fromFiles) await recordEvolutionVersions(tx, files.filter((e) => !history.has(e.version)));
          }));
          committed = true;
          pending.splice(0, pending.length, ...pending.filter(({ s }) => isDataStep(s)));
        }
        for (let k = 0; k < pending.length; k++) {
          if (opts.signal?.aborted) return { ...finish(null), ok: false, interrupted: true };
          const { s, i } = pending[k];
          if (isDataStep(s)) {
            const batch = [pending[k]];
            while (k + 1 < pending.length && isDataStep(pending[k + 1].s) && pending[k + 1].s.kind === s.kind) batch.push(pending[++k]);
            // Keys and indexes may be built by the data runner as soon as their table is loaded;
            // those it ran (each committed with its checkpoint) leave the queue.
            const followers = opts.runParallel && s.kind === 'data' ? pending.slice(k + 1).filter((p) => parallelGroup(p.s) === 'keys') : [];
            await runDataBatch(db, batch, results, opts, report, undefined, followers);
            const early = new Set(followers.filter((f) => results[f.i].status === 'executed').map((f) => f.s.id));
            pending.splice(k + 1, pending.length, ...pending.slice(k + 1).filter((p) => !early.has(p.s.id)));
            for (const { s: done } of followers.filter((f) => early.has(f.s.id))) {
              const fileDone = steps.every((x, j) => x.file !== done.file || ['executed', 'skipped'].includes(results[j].status));
              if (done.file && lastOfFile.get(done.file) === done.id && fileDone) await db.transaction((tx) => recordMigrationVersion(tx, done.file!, steps));
            }
            continue;
          }
          const group = opts.runParallel && !existing.has(s.id) ? parallelGroup(s) : null;
          if (group) {
            const batch = [pending[k]];
            while (k + 1 < pending.length && parallelGroup(pending[k + 1].s) === group && !existing.has(pending[k + 1].s.id)) batch.push(pending[++k]);
            await runParallelBatch(batch, results, opts, report);
            // A file whose last step ran in the batch is recorded now (and by the next apply
            // if a kill lands in between: see recordCompletedFiles).
            for (const { s: done } of batch) if (done.file && lastOfFile.get(done.file) === done.id) await db.transaction((tx) => recordMigrationVersion(tx, done.file!, steps));
            continue;
          }
          try {
            await db.transaction(async (tx) => {
              await tx.query(`select set_config('statement_timeout', $1, true)`, [timeout]);
              await runOne(tx, s, i);
            });
          } finally {
            report(i);
          }
        }
      }
    } catch (err) {
      const all = [...results, ...(evolutionResults?.steps ?? [])];
      const failed = all.find((r) => r.status === 'failed');
      // A failed evolution transaction takes every step that ran in it back with it.
      if (evolution && !opts.dryRun && !committed) for (const r of all) if (r.status === 'executed') r.status = 'not-run';
      return finish(failed?.error ?? String(err));
    }
    if (opts.dryRun && opts.signal?.aborted) return { ...finish(null), ok: false, interrupted: true };
    if (!opts.dryRun && (pending.length > 0 || evolution || !drift.checked || drift.items.length > 0)) await recordFingerprint(db);
    // The target now holds the newest revision: evolutions it did not need are covered.
    const uncovered = files.filter((e) => !history.has(e.version));
    if (!opts.dryRun && uncovered.length > 0) await db.transaction((tx) => recordEvolutionVersions(tx, uncovered));
    return finish(null);
  });
}

async function runDataBatch(
  db: Db,
  batch: { s: ExecutableStep; i: number }[],
  results: StepResult[],
  opts: ApplyOptions,
  report: (i: number) => void,
  dryRunTarget?: Db,
  followers: { s: ExecutableStep; i: number }[] = [],
): Promise<void> {
  if (!opts.runData) throw new Error(`internal: no data runner for ${batch[0].s.id}`);
  const started = Date.now();
  const outcome = await opts.runData(batch.map((b) => b.s), dryRunTarget, followers.map((f) => f.s));
  let failure: string | null = null;
  for (const { s, i } of followers.filter((f) => outcome.has(f.s.id))) {
    const error = outcome.get(s.id) ?? null;
    results[i].status = error === null ? 'executed' : 'failed';
    if (error !== null) failure ??= results[i].error = error;
    // Built during the load: its time is inside the data steps' time, not counted again.
    results[i].ms = 0;
    report(i);
  }
  for (const { s, i } of batch) {
    const error = outcome.has(s.id) ? outcome.get(s.id) ?? null : 'not run';
    if (error === null && dryRunTarget) {
      results[i].status = 'checked';
    } else if (error === null) {
      await db.transaction((tx) => recordCheckpoint(tx, asPlanned(s)));
      results[i].status = 'executed';
    } else {
      results[i].status = 'failed';
      results[i].error = `${s.id}: ${error}`;
      failure ??= results[i].error as string;
    }
    results[i].ms = Date.now() - started;
    report(i);
  }
  if (failure) throw new Error(failure);
}

async function runParallelBatch(
  batch: { s: ExecutableStep; i: number }[],
  results: StepResult[],
  opts: ApplyOptions,
  report: (i: number) => void,
): Promise<void> {
  const index = new Map(batch.map((b) => [b.s.id, b.i]));
  const outcome = await opts.runParallel!(batch.map((b) => b.s), (id, error, ms) => {
    const i = index.get(id)!;
    results[i].status = error === null ? 'executed' : 'failed';
    if (error !== null) results[i].error = error;
    results[i].ms = ms;
    report(i);
  });
  const failed = batch.find((b) => outcome.get(b.s.id)?.error !== null);
  if (failed) throw new Error(outcome.get(failed.s.id)?.error ?? `${failed.s.id}: not run`);
}

const ROLLBACK_SENTINEL = Symbol('dry-run');

/** Runs fn in a transaction that is always rolled back. */
async function rolledBack(db: Db, fn: (tx: Db) => Promise<void>): Promise<void> {
  try {
    await db.transaction(async (tx) => {
      await fn(tx);
      throw ROLLBACK_SENTINEL;
    });
  } catch (err) {
    if (err !== ROLLBACK_SENTINEL) throw err;
  }
}

/**
 * Files whose steps are all applied but whose version is not in Supabase's history: possible
 * only when a kill landed between a parallel batch and the version's own transaction.
 */
async function recordCompletedFiles(db: Db, steps: ExecutableStep[], applied: ReadonlySet<string>): Promise<void> {
  const files = [...new Set(steps.map((s) => s.file).filter((f): f is string => f !== null))];
  for (const file of files) {
    if (steps.every((s) => s.file !== file || applied.has(s.id))) await db.transaction((tx) => recordMigrationVersion(tx, file, steps));
  }
}

function lastStepOfEachFile(steps: ExecutableStep[]): Map<string, string> {
  const last = new Map<string, string>();
  for (const s of steps) if (s.file) last.set(s.file, s.id);
  return last;
}

/**
 * Records a migration file in Supabase's history once all its steps are in, so that
 * `supabase db push` later sees it as applied instead of running it again.
 */
async function recordMigrationVersion(tx: Db, file: string, steps: ExecutableStep[]): Promise<void> {
  const match = /\/(\d+)_([^/]+)\.sql$/.exec(file);
  if (!match) return;
  const statements = steps.filter((s) => s.file === file).map((s) => s.body);
  await tx.query(
    'insert into supabase_migrations.schema_migrations (version, statements, name) values ($1, $2, $3) on conflict (version) do nothing',
    [match[1], statements, match[2]],
  );
}

function summarize(steps: StepResult[], dryRun: boolean, error: string | null): Omit<ApplyResult, 'evolution' | 'drift' | 'existing'> {
  const count = (s: StepStatus) => steps.filter((r) => r.status === s).length;
  return {
    ok: error === null,
    dryRun,
    executed: count('executed'),
    skipped: count('skipped'),
    changed: count('changed'),
    failed: count('failed'),
    steps,
    error,
  };
}

