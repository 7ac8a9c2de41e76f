import type { Db } from '../../db';
import { withStepTransaction } from '../steps/transaction';
import { asPlanned, type ExecutableStep } from '../executable';
import { describePgError } from '../pg-error';
import { isTransient, sleep } from './session';

/**
 * Post-data steps that may run side by side, as pg_restore --jobs and pgcopydb --index-jobs do.
 * Keys, unique and exclusion constraints and plain indexes each read one loaded table and build
 * one index, so they do not depend on each other; foreign keys need those keys first and are a
 * group of their own. Everything else (NOT VALID checks, triggers, refreshes) stays sequential.
 */
const GROUPS: Record<string, string> = {
  'primary-key': 'keys',
  unique: 'keys',
  exclusion: 'keys',
  index: 'keys',
  'foreign-key': 'foreign-keys',
};

/** The group a step belongs to, or null when it must run alone in plan order. */
export function parallelGroup(step: { phase: string; kind: string }): string | null {
  return step.phase === 'post-data' ? (GROUPS[step.kind] ?? null) : null;
}

export interface ParallelStepOptions {
  connect: () => Promise<Db>;
  parallel: number;
  statementTimeoutSeconds?: number;
  /** Per connection, for index builds (default 256MB; Supabase lets the postgres role set it). */
  maintenanceWorkMem?: string;
  onDone?: (id: string, error: string | null, ms: number) => void;
}

export interface ParallelStepResult {
  error: string | null;
  ms: number;
}

/**
 * Runs independent steps on `parallel` connections. Each step commits together with its
 * checkpoint on its own connection, exactly as a sequential step does, so a kill leaves every
 * step applied-and-recorded or absent. Biggest work first would need sizes the steps do not
 * carry; plan order is kept, which already puts a table's key before its other indexes.
 * A deadlock or a dropped connection is retried; any other error fails that step only, and the
 * steps already started finish, so nothing is left half-done.
 */
export async function runStepsInParallel(
  steps: ExecutableStep[],
  o: ParallelStepOptions,
): Promise<Map<string, ParallelStepResult>> {
  const pool = new StepPool(o);
  pool.push(steps);
  return pool.finish();
}

/**
 * Up to `parallel` connections taking steps from a queue that may grow while they work: the
 * data runner pushes a table's keys and indexes as soon as that table is loaded.
 */
export class StepPool {
  private readonly queue: ExecutableStep[] = [];
  private readonly results = new Map<string, ParallelStepResult>();
  private readonly workers = new Set<Promise<void>>();

  constructor(private readonly o: ParallelStepOptions) {}

  push(steps: ExecutableStep[]): void {
    this.queue.push(...steps);
    while (this.workers.size < Math.max(1, this.o.parallel) && this.workers.size < this.queue.length) {
      const w: Promise<void> = this.work().finally(() => this.workers.delete(w));
      this.workers.add(w);
    }
  }

  async finish(): Promise<Map<string, ParallelStepResult>> {
    while (this.workers.size > 0) await Promise.all([...this.workers]);
    return this.results;
  }

  private async work(): Promise<void> {
    const conn: { db: Db | null } = { db: null };
    try {
      for (let s = this.queue.shift(); s; s = this.queue.shift()) {
        const started = Date.now();
        const error = await runWithRetries(conn, s, this.o);
        this.results.set(s.id, { error, ms: Date.now() - started });
        this.o.onDone?.(s.id, error, Date.now() - started);
      }
    } finally {
      await conn.db?.close().catch(() => undefined);
    }
  }
}

/** The step's error, or null once it committed with its checkpoint. */
async function runWithRetries(
  conn: { db: Db | null },
  s: ExecutableStep,
  o: ParallelStepOptions,
): Promise<string | null> {
  for (let attempt = 0; ; attempt++) {
    try {
      conn.db ??= await open(o);
      await runStep(conn.db, s, o.statementTimeoutSeconds);
      return null;
    } catch (err) {
      const retry = attempt < 3 && (isTransient(err) || (err as { code?: string }).code === '40P01');
      if (!retry || !isDeadlock(err)) {
        await conn.db?.close().catch(() => undefined);
        conn.db = null;
      }
      if (!retry) return describePgError(err, s.body, s.file, s.line);
      await sleep(200 * 2 ** attempt);
    }
  }
}

const isDeadlock = (err: unknown) => (err as { code?: string }).code === '40P01';

async function open(o: ParallelStepOptions): Promise<Db> {
  const db = await o.connect();
  try {
    await db.query(`select set_config('maintenance_work_mem', $1, false)`, [o.maintenanceWorkMem ?? '256MB']);
  } catch {
    // A server that refuses the setting builds with its own default.
  }
  return db;
}

async function runStep(db: Db, s: ExecutableStep, timeoutSeconds = 0): Promise<void> {
  await withStepTransaction(db, { statementTimeoutSeconds: timeoutSeconds }, (tx) => tx.exec(s.body), asPlanned(s));
}
