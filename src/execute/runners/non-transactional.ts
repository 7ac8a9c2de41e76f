import { type Db, resetTimeouts, setTimeouts } from '../../db';
import type { EvolutionStep } from '../../plan/evolve';
import { runEvolutionStep } from '../evolve';
import { LOCK_WAIT_MS, withLockRetries } from '../evolution-route';
import { pgFailure, renderFailure } from '../pg-error';
import { withStepTransaction } from '../steps/transaction';
import type { ApplyRun } from './types';

const CONCURRENT = /CREATE (?:UNIQUE )?INDEX CONCURRENTLY IF NOT EXISTS (\S+) ON (\S+)/;

/** The same statement as a transaction can run it (dry run: checked, then rolled back). */
export function asTransactional(e: EvolutionStep): EvolutionStep {
  return { ...e, sql: e.sql.replace(/ INDEX CONCURRENTLY /, ' INDEX ') };
}

/**
 * The evolution's non-transactional steps (CREATE INDEX CONCURRENTLY, VALIDATE CONSTRAINT), one
 * at a time after its transaction committed: each waits at most LOCK_WAIT_MS for a lock and is
 * tried again, and is recorded (with its down) only once it finished. A failed concurrent build
 * leaves an invalid index behind; it is dropped before the next try, so a re-run rebuilds it.
 */
export async function runNonTransactionalSteps(run: ApplyRun): Promise<void> {
  if (run.dryRun) return;
  const steps = run.evolution?.steps ?? [];
  for (const [k, e] of steps.entries()) {
    if (!e.nonTransactional) continue;
    await recordEvolutionStep(run, k, e, async () => {
      if (!e.adopted) await withLockRetries(() => runAlone(run.db, e));
      await withStepTransaction(run.db, run.limits, (tx) => runEvolutionStep(tx, { ...e, adopted: true }));
      return e.adopted ? 'adopted' : 'executed';
    });
  }
}

type EvolutionStatus = NonNullable<ApplyRun['evolutionResults']>['steps'][number]['status'];

/** Runs evolution step k and records its status, failure and time in the run's results. */
export async function recordEvolutionStep(
  run: ApplyRun,
  k: number,
  e: EvolutionStep,
  body: () => Promise<EvolutionStatus>,
): Promise<void> {
  const r = (run.evolutionResults as NonNullable<ApplyRun['evolutionResults']>).steps[k];
  const started = Date.now();
  try {
    r.status = await body();
  } catch (err) {
    r.status = 'failed';
    r.failure = pgFailure(err, e.id, e.sql, `evolution step ${e.id}`, 1);
    r.error = renderFailure(r.failure);
    throw err;
  } finally {
    r.ms = Date.now() - started;
    run.onStep?.(r, k, run.evolution?.steps.length ?? 0);
  }
}

async function runAlone(db: Db, e: EvolutionStep): Promise<void> {
  await setTimeouts(db, { lockMs: LOCK_WAIT_MS }, false);
  try {
    await dropInvalidIndex(db, e.sql);
    await db.exec(e.sql);
  } finally {
    await resetTimeouts(db);
  }
}

/** An index of this name that a failed concurrent build left invalid: IF NOT EXISTS would keep it. */
async function dropInvalidIndex(db: Db, sql: string): Promise<void> {
  const m = CONCURRENT.exec(sql);
  if (!m) return;
  const schema = m[2].includes('.') ? m[2].slice(0, m[2].indexOf('.')) : 'public';
  const name = `${schema}.${m[1]}`;
  const r = await db.query<{ invalid: boolean }>(
    `select not i.indisvalid as invalid from pg_index i where i.indexrelid = to_regclass($1)`,
    [name],
  );
  if (r.rows[0]?.invalid) await db.exec(`drop index concurrently if exists ${name};`);
}
