import type { Db } from '../db';
import { UserError } from '../errors';
import { deleteCheckpoint, readCheckpoints } from './checkpoints';
import { EVOLUTION_KIND, undoEvolutionStep } from './evolve';
import { recordFingerprint } from './fingerprint';
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
  /** Undoes steps that failed part-way without a checkpoint (a storage transfer); returns their ids. */
  undoUnfinished?: (db: Db) => Promise<string[]>,
): Promise<RollbackResult> {
  return withAdvisoryLock(db, async () => {
    const started = Date.now();
    const unfinished = undoUnfinished ? await undoUnfinished(db) : [];
    const checkpoints = await readCheckpoints(db);
    let keep = 0;
    if ('to' in target) {
      const found = checkpoints.find((c) => c.stepId === target.to || String(c.seq) === target.to);
      if (!found) {
        throw new UserError(
          `no checkpoint named ${JSON.stringify(target.to)} on this target`,
          'run `supamigrate status` to list checkpoints (step id or number)',
        );
      }
      keep = found.seq;
    }
    const undone: RollbackResult['undone'] = unfinished.map((id) => ({ id, ms: Date.now() - started }));
    unfinished.forEach((id) => onStep?.(id));
    // Undoing an evolution step puts back the checkpoints it replaced, so the newest checkpoint
    // is looked up again after every undo.
    let current = checkpoints;
    for (let c = newestAfter(current, keep); c; c = newestAfter(current, keep)) {
      const started = Date.now();
      const step = c;
      try {
        if (undoOutside) await undoOutside(db, c);
        await db.transaction(async (tx) => {
          if (step.kind === EVOLUTION_KIND) await undoEvolutionStep(tx, step);
          else await tx.exec(step.down);
          await deleteCheckpoint(tx, step.stepId);
          if (step.file) await forgetMigrationVersion(tx, step.file);
          // A step of a committed evolution file: the file is no longer applied either.
          const version = step.kind === EVOLUTION_KIND ? /^evolve:(\d{14}):/.exec(step.stepId)?.[1] : undefined;
          if (version) await forgetMigrationVersion(tx, `/${version}_evolve.sql`);
        });
      } catch (err) {
        return {
          ok: false,
          undone,
          remaining: current.length,
          error: describePgError(err, step.down, `down of ${step.stepId}`, 1),
        };
      }
      undone.push({ id: step.stepId, ms: Date.now() - started });
      onStep?.(step.stepId);
      current = await readCheckpoints(db);
    }
    // Evolutions recorded as covered by a fresh apply are not applied once nothing is.
    if (current.length === 0 && undone.length > 0) await forgetCoveredEvolutions(db);
    if (undone.length > 0) await recordFingerprint(db);
    return { ok: true, undone, remaining: current.length, error: null };
  });
}

async function forgetMigrationVersion(tx: Db, file: string): Promise<void> {
  const match = /\/(\d+)_[^/]+\.sql$/.exec(file);
  if (!match) return;
  const exists = await tx.query<{ ok: boolean }>(
    `select to_regclass('supabase_migrations.schema_migrations') is not null as ok`,
  );
  if (exists.rows[0]?.ok)
    await tx.query('delete from supabase_migrations.schema_migrations where version = $1', [match[1]]);
}

async function forgetCoveredEvolutions(db: Db): Promise<void> {
  const exists = await db.query<{ ok: boolean }>(
    `select to_regclass('supabase_migrations.schema_migrations') is not null as ok`,
  );
  if (exists.rows[0]?.ok)
    await db.query(`delete from supabase_migrations.schema_migrations where name like '%\\_evolve'`);
}

function newestAfter<T extends { seq: number }>(checkpoints: T[], keep: number): T | undefined {
  return [...checkpoints].reverse().find((c) => c.seq > keep);
}
