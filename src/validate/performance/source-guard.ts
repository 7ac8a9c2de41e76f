import type { Db } from '../../db/types';
import { setTimeouts } from '../../db/timeouts';

/**
 * The source is production: whatever validate reads there (the top statements, the sampled
 * values) runs in a READ ONLY transaction with a statement timeout, so it can neither write nor
 * hold a long scan on a busy server.
 */
export async function readOnlyOnSource<T>(db: Db, statementTimeoutMs: number, fn: () => Promise<T>): Promise<T> {
  await db.exec('begin transaction read only');
  try {
    await setTimeouts(db, { statementMs: Math.max(1, statementTimeoutMs) });
    return await fn();
  } finally {
    await db.exec('rollback');
  }
}
