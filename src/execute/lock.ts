import type { Db } from '../db';
import { ExecutionError } from '../errors';

/** 'supm' as a number: one advisory lock key per target database for every supamigrate run. */
const LOCK_KEY = 0x7375706d;

/**
 * Holds the target's advisory lock while fn runs. A second run does not wait: it fails at once
 * and says who holds the lock, because two applies interleaving steps would be worse.
 */
export async function withAdvisoryLock<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  const got = await db.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [LOCK_KEY]);
  if (!got.rows[0]?.ok) {
    const holder = await describeHolder(db);
    throw new ExecutionError(
      `another supamigrate run holds the lock on this target${holder}; wait for it to finish (or stop it) and run again`,
    );
  }
  try {
    return await fn();
  } finally {
    await db.query('select pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
  }
}

async function describeHolder(db: Db): Promise<string> {
  try {
    const r = await db.query<{ pid: number; application_name: string; backend_start: string }>(
      `select a.pid, a.application_name, a.backend_start::text
         from pg_locks l join pg_stat_activity a on a.pid = l.pid
        where l.locktype = 'advisory' and l.objid = $1 and l.granted
        limit 1`,
      [LOCK_KEY],
    );
    const h = r.rows[0];
    return h ? ` (backend pid ${h.pid}, ${h.application_name || 'unnamed'}, connected since ${h.backend_start})` : '';
  } catch {
    return '';
  }
}
