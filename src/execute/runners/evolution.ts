import type { Db } from '../../db';
import { runEvolutionStep } from '../evolve';
import { LOCK_WAIT_MS, withLockRetries } from '../evolution-route';
import { withStepTransaction } from '../steps/transaction';
import { runSqlStep } from './sql';
import type { ApplyRun } from './types';
import { asTransactional, recordEvolutionStep } from './non-transactional';

/** Runs the evolution steps in the given transaction; throws (to roll it back) on failure. */
export async function runEvolutionSteps(run: ApplyRun, tx: Db): Promise<void> {
  const steps = run.evolution?.steps ?? [];
  for (const [k, e] of steps.entries()) {
    // Outside the transaction, after it (runNonTransactionalSteps); a dry run checks the plain form.
    if (e.nonTransactional && !run.dryRun) continue;
    await recordEvolutionStep(run, k, e, async () => {
      await runEvolutionStep(tx, e.nonTransactional ? asTransactional(e) : e);
      // Adopted: `supabase db push` ran the file; only its checkpoint rows were written now.
      return run.dryRun ? 'checked' : e.adopted ? 'adopted' : 'executed';
    });
  }
}

/**
 * The move of an applied target to the new revision, committed at once: the evolution steps,
 * then the plan's missing SQL steps in plan order. Data loads need their own connections, after.
 * Waiting behind a long query's lock would queue every query behind an ALTER: each statement
 * waits a little (lock_timeout), and the whole transaction is tried again.
 */
export async function runEvolutionTransaction(
  run: ApplyRun,
  after: (tx: Db, ran: string[]) => Promise<void>,
): Promise<void> {
  const sqlSteps = run.pending.filter(({ s }) => s.phase !== 'data');
  await withLockRetries(() =>
    withStepTransaction(run.db, { ...run.limits, lockTimeoutMs: LOCK_WAIT_MS }, async (tx) => {
      await runEvolutionSteps(run, tx);
      for (const { s, i } of sqlSteps) {
        try {
          await runSqlStep(run, tx, s, i);
        } finally {
          run.report(i);
        }
      }
      await after(
        tx,
        sqlSteps.map(({ s }) => s.id),
      );
    }),
  );
  run.pending.splice(0, run.pending.length, ...run.pending.filter(({ s }) => s.phase === 'data'));
}
