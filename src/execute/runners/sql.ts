import type { Db } from '../../db';
import { recordCheckpoint } from '../checkpoints';
import { asPlanned, type ExecutableStep } from '../executable';
import { pgFailure, renderFailure } from '../pg-error';
import { withStepTransaction } from '../steps/transaction';
import type { ApplyRun } from './types';

/**
 * Runs one step inside the given transaction: its SQL, its checkpoint and, when it is the last
 * of its file, the file's version in Supabase's history. Throws (to roll back) on failure, with
 * the failure recorded in the step's result.
 */
export async function runSqlStep(run: ApplyRun, tx: Db, s: ExecutableStep, i: number): Promise<void> {
  const r = run.results[i];
  const started = Date.now();
  try {
    const existed = run.existing.get(s.id);
    if (existed) {
      // The object was the target's before apply: recorded so the plan moves on, never dropped.
      await recordCheckpoint(tx, {
        ...asPlanned(s),
        down: `-- ${s.id} existed on the target before apply (${existed.treatment}); rollback leaves it\n`,
      });
      r.status = 'adopted';
      return;
    }
    await tx.exec(s.body);
    await recordCheckpoint(tx, asPlanned(s));
    if (s.file && run.lastOfFile.get(s.file) === s.id) await recordMigrationVersion(tx, s.file, run.steps);
    r.status = run.dryRun ? 'checked' : 'executed';
  } catch (err) {
    r.status = 'failed';
    r.failure = pgFailure(err, s.id, s.body, s.file, s.line);
    r.error = renderFailure(r.failure);
    throw err;
  } finally {
    r.ms = Date.now() - started;
  }
}

/** One SQL step in its own transaction, under the step limits; false when it failed. */
export async function runSqlStepAlone(run: ApplyRun, s: ExecutableStep, i: number): Promise<boolean> {
  try {
    await withStepTransaction(run.db, run.limits, (tx) => runSqlStep(run, tx, s, i));
    return true;
  } catch (err) {
    if (run.results[i].status !== 'failed') throw err;
    return false;
  } finally {
    run.report(i);
  }
}

export function lastStepOfEachFile(steps: ExecutableStep[]): Map<string, string> {
  const last = new Map<string, string>();
  for (const s of steps) if (s.file) last.set(s.file, s.id);
  return last;
}

/**
 * Records a migration file in Supabase's history once all its steps are in, so that
 * `supabase db push` later sees it as applied instead of running it again.
 */
export async function recordMigrationVersion(tx: Db, file: string, steps: ExecutableStep[]): Promise<void> {
  const match = /\/(\d+)_([^/]+)\.sql$/.exec(file);
  if (!match) return;
  const statements = steps.filter((s) => s.file === file).map((s) => s.body);
  await tx.query(
    `insert into supabase_migrations.schema_migrations (version, statements, name) values ($1, $2, $3)
     on conflict (version) do nothing`,
    [match[1], statements, match[2]],
  );
}

/**
 * Files whose steps are all applied but whose version is not in Supabase's history: possible
 * only when a kill landed between a parallel batch and the version's own transaction.
 */
export async function recordCompletedFiles(
  db: Db,
  steps: ExecutableStep[],
  applied: ReadonlySet<string>,
): Promise<void> {
  const files = [...new Set(steps.map((s) => s.file).filter((f): f is string => f !== null))];
  for (const file of files) {
    if (steps.every((s) => s.file !== file || applied.has(s.id)))
      await db.transaction((tx) => recordMigrationVersion(tx, file, steps));
  }
}
