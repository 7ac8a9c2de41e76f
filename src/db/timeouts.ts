import type { Db } from './types';

/** How long one statement may run, and wait for a lock, before Postgres cancels it (0: no limit). */
export interface Timeouts {
  statementMs?: number;
  lockMs?: number;
}

/**
 * The one place the timeouts are set. `local`: for the current transaction only (a step, a
 * chunk); otherwise for the session (a read-only connection that runs several queries).
 */
export async function setTimeouts(db: Db, t: Timeouts, local = true): Promise<void> {
  const ms = (v: number | undefined) => `${Math.max(0, Math.floor(v ?? 0))}`;
  // lock_timeout is left as the role has it unless the caller asks for a limit.
  const lock = t.lockMs === undefined ? '' : `, set_config('lock_timeout', $3, $2)`;
  const params = t.lockMs === undefined ? [ms(t.statementMs), local] : [ms(t.statementMs), local, ms(t.lockMs)];
  await db.query(`select set_config('statement_timeout', $1, $2)${lock}`, params);
}

/** Back to the role's own timeouts, after a session-wide `setTimeouts`. */
export async function resetTimeouts(db: Db): Promise<void> {
  await db.exec('reset lock_timeout; reset statement_timeout;');
}
