import type { Db } from '../db';
import { UserError } from '../errors';
import { deleteCheckpoint, readCheckpoints } from './checkpoints';
import { withAdvisoryLock } from './lock';
import { describePgError } from './pg-error';

export interface RollbackResult {
  ok: boolean;
  undone: { id: string; ms: number }[];
  remaining: number;
  error: string | null;
}

export type RollbackTarget = { all: true } | { to: string };

/**
 * Undoes applied steps newest first, each down with the removal of its checkpoint in one
 * transaction. The downs come from the checkpoints, i.e. the SQL recorded when the step ran.
 * `to` names the last checkpoint to keep: a step id or its sequence number.
 */
export async function rollbackSteps(
  db: Db,
  target: RollbackTarget,
  onStep?: (id: string) => void,
  /** Undoes what a step did outside the database (stored files) before its SQL down runs. */
  undoOutside?: (db: Db, c: { kind: string; stepId: string }) => Promise<void>,
): Promise<RollbackResult> {
  return withAdvisoryLock(db, async () => {
    const checkpoints = await readCheckpoints(db);
    let keep = 0;
    if ('to' in target) {
      const found = checkpoints.find((c) => c.stepId === target.to || String(c.seq) === target.to);
      if (!found) {
        throw new UserError(`no checkpoint named ${JSON.stringify(target.to)} on this target`, 'run `supamigrate status` to list checkpoints (step id or number)');
      }
      keep = found.seq;
    }
    const toUndo = checkpoints.filter((c) => c.seq > keep).reverse();
    const undone: RollbackResult['undone'] = [];
    for (const c of toUndo) {
      const started = Date.now();
      try {
        if (undoOutside) await undoOutside(db, c);
        await db.transaction(async (tx) => {
          await tx.exec(c.down);
          await deleteCheckpoint(tx, c.stepId);
          if (c.file) await forgetMigrationVersion(tx, c.file);
        });
      } catch (err) {
        return { ok: false, undone, remaining: checkpoints.length - undone.length, error: describePgError(err, c.down, `down of ${c.stepId}`, 1) };
      }
      undone.push({ id: c.stepId, ms: Date.now() - started });
      onStep?.(c.stepId);
    }
    return { ok: true, undone, remaining: checkpoints.length - undone.length, error: null };
  });
}

async function forgetMigrationVersion(tx: Db, file: string): Promise<void> {
  const match = /\/(\d+)_[^/]+\.sql$/.exec(file);
  if (!match) return;
  const exists = await tx.query<{ ok: boolean }>(`select to_regclass('supabase_migrations.schema_migrations') is not null as ok`);
  if (exists.rows[0]?.ok) await tx.query('delete from supabase_migrations.schema_migrations where version = $1', [match[1]]);
}
