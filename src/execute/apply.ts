import type { Db } from '../db';
import { ensureCheckpointTable, readCheckpoints, recordCheckpoint } from './checkpoints';
import type { ExecutableStep } from './executable';
import { withAdvisoryLock } from './lock';
import { describePgError } from './pg-error';
import { parallelGroup } from './data/post-data';

export type StepStatus = 'executed' | 'skipped' | 'changed' | 'failed' | 'not-run' | 'checked';

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
  runData?: (steps: ExecutableStep[], dryRunTarget?: Db) => Promise<Map<string, string | null>>;
  /**
   * Runs consecutive independent post-data steps (keys and indexes; then foreign keys) side by
   * side, each committing with its own checkpoint on its own connection (execute/data/post-data).
   * Calls onDone as each finishes; the result maps a step id to its error or null.
   */
  runParallel?: (steps: ExecutableStep[], onDone: (id: string, error: string | null, ms: number) => void) => Promise<Map<string, { error: string | null }>>;
}

const isDataStep = (s: ExecutableStep) => s.phase === 'data';

/**
 * Applies the plan: each pending step and its checkpoint in one transaction, under the target's
 * advisory lock. Steps already applied with the same checksum are skipped; a step applied with
 * another checksum stops the run before anything executes (evolving an applied schema is a
 * separate operation, never an accident).
 */
export async function applySteps(db: Db, steps: ExecutableStep[], opts: ApplyOptions = {}): Promise<ApplyResult> {
  return withAdvisoryLock(db, async () => {
    await ensureCheckpointTable(db);
    const applied = new Map((await readCheckpoints(db)).map((c) => [c.stepId, c]));
    const results: StepResult[] = steps.map((s) => ({ id: s.id, phase: s.phase, kind: s.kind, status: 'not-run', ms: 0 }));
    const changed = steps.filter((s) => applied.has(s.id) && applied.get(s.id)?.checksum !== s.checksum);
    steps.forEach((s, i) => {
      if (applied.has(s.id)) results[i].status = changed.includes(s) ? 'changed' : 'skipped';
    });
    if (changed.length > 0) {
      const error = `${changed.length} applied step(s) differ from the plan: ${changed.map((s) => s.id).join(', ')}. Applied steps are never re-run silently; roll them back (supamigrate rollback --to <checkpoint>) and apply again.`;
      return summarize(results, opts.dryRun ?? false, error);
    }
    const pending = steps.map((s, i) => ({ s, i })).filter(({ s }) => !applied.has(s.id));
    if (opts.runParallel && !opts.dryRun) await recordCompletedFiles(db, steps, applied);
    const lastOfFile = lastStepOfEachFile(steps);
    const timeout = `${(opts.statementTimeoutSeconds ?? 0) * 1000}`;
    const runOne = async (tx: Db, s: ExecutableStep, i: number) => {
      const started = Date.now();
      try {
        await tx.exec(s.sql);
        await recordCheckpoint(tx, s);
        if (s.file && lastOfFile.get(s.file) === s.id) await recordMigrationVersion(tx, s.file, steps);
        results[i].status = opts.dryRun ? 'checked' : 'executed';
      } catch (err) {
        results[i].status = 'failed';
        results[i].error = describePgError(err, s.sql, s.file, s.line);
        throw err;
      } finally {
        results[i].ms = Date.now() - started;
      }
    };
    // Progress is reported once the step's transaction has committed (or failed), never before.
    const report = (i: number) => opts.onStep?.(results[i], i, steps.length);
    try {
      if (opts.dryRun) {
        await rolledBack(db, async (tx) => {
          await tx.query(`select set_config('statement_timeout', $1, true)`, [timeout]);
          for (let k = 0; k < pending.length; k++) {
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
        for (let k = 0; k < pending.length; k++) {
          const { s, i } = pending[k];
          if (isDataStep(s)) {
            const batch = [pending[k]];
            while (k + 1 < pending.length && isDataStep(pending[k + 1].s) && pending[k + 1].s.kind === s.kind) batch.push(pending[++k]);
            await runDataBatch(db, batch, results, opts, report);
            continue;
          }
          const group = opts.runParallel ? parallelGroup(s) : null;
          if (group) {
            const batch = [pending[k]];
            while (k + 1 < pending.length && parallelGroup(pending[k + 1].s) === group) batch.push(pending[++k]);
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
      const failed = results.find((r) => r.status === 'failed');
      return summarize(results, opts.dryRun ?? false, failed?.error ?? String(err));
    }
    return summarize(results, opts.dryRun ?? false, null);
  });
}

async function runDataBatch(
  db: Db,
  batch: { s: ExecutableStep; i: number }[],
  results: StepResult[],
  opts: ApplyOptions,
  report: (i: number) => void,
  dryRunTarget?: Db,
): Promise<void> {
  if (!opts.runData) throw new Error(`internal: no data runner for ${batch[0].s.id}`);
  const started = Date.now();
  const outcome = await opts.runData(batch.map((b) => b.s), dryRunTarget);
  let failure: string | null = null;
  for (const { s, i } of batch) {
    const error = outcome.has(s.id) ? outcome.get(s.id) ?? null : 'not run';
    if (error === null && dryRunTarget) {
      results[i].status = 'checked';
    } else if (error === null) {
      await db.transaction((tx) => recordCheckpoint(tx, s));
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
async function recordCompletedFiles(db: Db, steps: ExecutableStep[], applied: Map<string, unknown>): Promise<void> {
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
  const statements = steps.filter((s) => s.file === file).map((s) => s.sql);
  await tx.query(
    'insert into supabase_migrations.schema_migrations (version, statements, name) values ($1, $2, $3) on conflict (version) do nothing',
    [match[1], statements, match[2]],
  );
}

function summarize(steps: StepResult[], dryRun: boolean, error: string | null): ApplyResult {
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

