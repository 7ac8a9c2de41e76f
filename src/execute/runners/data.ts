import type { Db } from '../../db';
import { asPlanned } from '../executable';
import { analyzeLoaded } from '../data/analyze';
import { parallelGroup } from '../data/post-data';
import { type StepFailure, textFailure } from '../pg-error';
import { withStepTransaction } from '../steps/transaction';
import { recordMigrationVersion } from './sql';
import type { ApplyRun, Pending } from './types';

/** Consecutive pending data steps of one kind, from k on. */
export function dataBatch(pending: Pending[], k: number): Pending[] {
  const batch = [pending[k]];
  while (k + batch.length < pending.length) {
    const next = pending[k + batch.length];
    if (next.s.phase !== 'data' || next.s.kind !== pending[k].s.kind) break;
    batch.push(next);
  }
  return batch;
}

/**
 * Runs a batch of data steps through the data runner; each complete step's checkpoint is written
 * once the runner reports it (the rows committed chunk by chunk on the runner's connections).
 * A dry run passes its transaction as the target: each table's first batch goes there.
 */
export async function runDataBatch(
  run: ApplyRun,
  batch: Pending[],
  dryRunTarget?: Db,
  followers: Pending[] = [],
): Promise<StepFailure | null> {
  if (!run.runData) throw new Error(`internal: no data runner for ${batch[0].s.id}`);
  const started = Date.now();
  const outcome = await run.runData(
    batch.map((b) => b.s),
    dryRunTarget,
    followers.map((f) => f.s),
  );
  let failure: StepFailure | null = null;
  for (const { s, i } of followers.filter((f) => outcome.has(f.s.id))) {
    const error = outcome.get(s.id) ?? null;
    run.results[i].status = error === null ? 'executed' : 'failed';
    if (error !== null) failure ??= fail(run, i, s.id, error);
    // Built during the load: its time is inside the data steps' time, not counted again.
    run.results[i].ms = 0;
    run.report(i);
  }
  for (const { s, i } of batch) {
    const error = outcome.has(s.id) ? (outcome.get(s.id) ?? null) : 'not run';
    if (error === null && dryRunTarget) {
      run.results[i].status = 'checked';
    } else if (error === null) {
      await withStepTransaction(run.db, run.limits, async () => undefined, asPlanned(s));
      run.results[i].status = 'executed';
    } else {
      run.results[i].status = 'failed';
      failure ??= fail(run, i, s.id, `${s.id}: ${error}`);
    }
    run.results[i].ms = Date.now() - started;
    run.report(i);
  }
  if (!failure && !dryRunTarget)
    await analyzeLoaded(
      run.db,
      batch.map((b) => b.s),
    );
  return failure;
}

function fail(run: ApplyRun, i: number, id: string, error: string): StepFailure {
  run.results[i].error = error;
  return (run.results[i].failure = textFailure(id, error));
}

/**
 * A data batch in the normal run: keys and indexes may be built by the data runner as soon as
 * their table is loaded; those it ran (each committed with its checkpoint) leave the queue.
 * Returns how many pending entries the batch consumed.
 */
export async function runDataAt(run: ApplyRun, k: number): Promise<{ used: number; failure: StepFailure | null }> {
  const batch = dataBatch(run.pending, k);
  const rest = run.pending.slice(k + batch.length);
  const followers =
    run.runParallel && batch[0].s.kind === 'data' ? rest.filter((p) => parallelGroup(p.s) === 'keys') : [];
  const failure = await runDataBatch(run, batch, undefined, followers);
  if (failure) return { used: batch.length, failure };
  const early = new Set(followers.filter((f) => run.results[f.i].status === 'executed').map((f) => f.s.id));
  run.pending.splice(k + batch.length, rest.length, ...rest.filter((p) => !early.has(p.s.id)));
  for (const { s: done } of followers.filter((f) => early.has(f.s.id))) {
    const fileDone = run.steps.every(
      (x, j) => x.file !== done.file || ['executed', 'skipped'].includes(run.results[j].status),
    );
    if (done.file && run.lastOfFile.get(done.file) === done.id && fileDone) {
      await run.db.transaction((tx) => recordMigrationVersion(tx, done.file as string, run.steps));
    }
  }
  return { used: batch.length, failure: null };
}

/** Independent post-data steps of one group side by side, from k on (servers only). */
export async function runParallelAt(
  run: ApplyRun,
  k: number,
  group: string,
): Promise<{ used: number; failure: StepFailure | null }> {
  const batch = [run.pending[k]];
  while (k + batch.length < run.pending.length) {
    const next = run.pending[k + batch.length];
    if (parallelGroup(next.s) !== group || run.existing.has(next.s.id)) break;
    batch.push(next);
  }
  const index = new Map(batch.map((b) => [b.s.id, b.i]));
  const outcome = await (run.runParallel as NonNullable<ApplyRun['runParallel']>)(
    batch.map((b) => b.s),
    (id, error, ms) => {
      const i = index.get(id) as number;
      run.results[i].status = error === null ? 'executed' : 'failed';
      if (error !== null) fail(run, i, id, error);
      run.results[i].ms = ms;
      run.report(i);
    },
  );
  const failed = batch.find((b) => outcome.get(b.s.id)?.error !== null);
  if (failed)
    return {
      used: batch.length,
      failure: run.results[failed.i].failure ?? textFailure(failed.s.id, `${failed.s.id}: not run`),
    };
  // A file whose last step ran in the batch is recorded now (and by the next apply if a kill
  // lands in between: see recordCompletedFiles).
  for (const { s: done } of batch) {
    if (done.file && run.lastOfFile.get(done.file) === done.id)
      await run.db.transaction((tx) => recordMigrationVersion(tx, done.file as string, run.steps));
  }
  return { used: batch.length, failure: null };
}
