import type { Db } from '../../db';
import { applyLimits } from '../steps/transaction';
import { dataBatch, runDataBatch } from './data';
import { runEvolutionSteps } from './evolution';
import { runSqlStep } from './sql';
import { type ApplyRun, StepStopped } from './types';

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
 * The dry run: every pending step in one transaction that is rolled back. Each table's first
 * batch goes into it too (the only place its new schema exists), under a rolled-back savepoint.
 */
export async function runDryRun(run: ApplyRun): Promise<void> {
  await rolledBack(run.db, async (tx) => {
    await applyLimits(tx, run.limits);
    await runEvolutionSteps(run, tx);
    for (let k = 0; k < run.pending.length && !run.signal?.aborted; k++) {
      const { s, i } = run.pending[k];
      if (s.phase === 'data' && run.runData) {
        const batch = dataBatch(run.pending, k);
        k += batch.length - 1;
        const failure = await runDataBatch(run, batch, tx);
        if (failure) throw new StepStopped(failure);
        continue;
      }
      try {
        if (s.phase !== 'data') await runSqlStep(run, tx, s, i);
      } finally {
        run.report(i);
      }
    }
  });
}
