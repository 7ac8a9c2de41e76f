import { type Db, setTimeouts } from '../../db';
import { type CheckpointInput, recordCheckpoint } from '../checkpoints';

/** The limits every step transaction runs under. */
export interface StepLimits {
  /** statement_timeout, in seconds (0 or unset: none). */
  statementTimeoutSeconds?: number;
  /** lock_timeout, in milliseconds (unset: the role's own). */
  lockTimeoutMs?: number;
}

/** Sets a transaction's timeouts from the step limits. */
export function applyLimits(tx: Db, limits: StepLimits): Promise<void> {
  return setTimeouts(tx, { statementMs: (limits.statementTimeoutSeconds ?? 0) * 1000, lockMs: limits.lockTimeoutMs });
}

/**
 * One step's transaction: the limits set, the step's work, then its checkpoint, committed or
 * rolled back together (no data loss: a step is recorded exactly when it took effect).
 */
export async function withStepTransaction<T>(
  db: Db,
  limits: StepLimits,
  work: (tx: Db) => Promise<T>,
  checkpoint?: CheckpointInput,
): Promise<T> {
  return db.transaction(async (tx) => {
    await applyLimits(tx, limits);
    const out = await work(tx);
    if (checkpoint) await recordCheckpoint(tx, checkpoint);
    return out;
  });
}
