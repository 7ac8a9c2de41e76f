import { createHash } from 'node:crypto';
import type { Db } from '../db';
import { UserError } from '../errors';
import type { EvolutionPlan, EvolutionStep, RecordedStep, RowChange } from '../plan/evolve';
import type { TableState } from '../plan/schema/state';
import { type Checkpoint, recordCheckpoint } from './checkpoints';

/** Checkpoint rows of evolution steps carry this kind; their state holds the rows they changed. */
export const EVOLUTION_KIND = 'evolution';

/** The target's record of the applied plan: checkpoints of plan steps, not of evolution steps. */
export function recordedSteps(checkpoints: Checkpoint[]): RecordedStep[] {
  return checkpoints
    .filter((c) => c.kind !== EVOLUTION_KIND)
    .map((c) => ({
      seq: c.seq,
      id: c.stepId,
      phase: c.phase,
      kind: c.kind,
      checksum: c.checksum,
      up: c.up,
      down: c.down,
      file: c.file,
      state: (c.state as TableState | null) ?? null,
    }));
}

/** Stops before anything runs when the evolution needs what the spec has not allowed. */
export function assertEvolvable(plan: EvolutionPlan): void {
  if (plan.blocked.length > 0) {
    throw new UserError(
      `the target cannot be moved to the new plan in place:\n${plan.blocked.map((b) => `  ${b.id}: ${b.reason}`).join('\n')}`,
      'change the spec so these objects stay as applied, or roll the target back (supamigrate rollback --to ' +
        '<checkpoint>) before applying',
    );
  }
  if (plan.refused.length > 0) {
    const names = [...new Set(plan.refused.map((r) => r.object))];
    throw new UserError(
      `apply refuses destructive changes the spec does not allow (data would be lost):\n${plan.refused.map((r) => `  ${r.object}: ${r.reason}`).join('\n')}`,
      `if a table or column was renamed, declare it under evolution.renames in migration.yaml; if the loss is intended, allow it by name:\n  evolution:\n    allow_destructive: [${names.join(', ')}]`,
    );
  }
}

/** Runs one evolution step inside the caller's transaction: its SQL, its row changes, its own checkpoint. */
export async function runEvolutionStep(tx: Db, s: EvolutionStep): Promise<void> {
  if (s.sql.trim() !== '' && !s.adopted) await tx.exec(s.sql);
  if (s.create) {
    const c = s.create;
    await recordCheckpoint(tx, {
      id: s.target,
      phase: c.phase,
      kind: c.kind,
      checksum: c.checksum,
      down: s.reverse,
      file: c.file,
      sql: s.sql,
      state: c.state ?? null,
    });
    return;
  }
  await swapRows(
    tx,
    s.changes.map((c) => ({ remove: c.before, add: c.after, seq: c.seq })),
  );
  await recordCheckpoint(tx, {
    id: s.id,
    phase: 'evolve',
    kind: EVOLUTION_KIND,
    checksum: createHash('sha256').update(s.sql).update('\0').update(s.reverse).digest('hex'),
    down: s.reverse,
    file: null,
    sql: s.sql,
    state: { action: s.action, target: s.target, summary: s.summary, changes: s.changes },
  });
}

/** Undoes an evolution checkpoint (rollback): its reverse SQL, then the rows as they were before it. */
export async function undoEvolutionStep(tx: Db, c: Checkpoint): Promise<void> {
  const changes = ((c.state as { changes?: RowChange[] } | null)?.changes ?? []) as RowChange[];
  if (c.down.trim() !== '') await tx.exec(c.down);
  await swapRows(
    tx,
    changes.map((ch) => ({ remove: ch.after, add: ch.before, seq: ch.seq })),
  );
}

async function swapRows(
  tx: Db,
  swaps: { remove: RecordedStep | null; add: RecordedStep | null; seq: number }[],
): Promise<void> {
  for (const s of swaps)
    if (s.remove) await tx.query('delete from supamigrate.checkpoints where step_id = $1', [s.remove.id]);
  for (const s of swaps) {
    if (!s.add) continue;
    const r = s.add;
    await recordCheckpoint(
      tx,
      {
        id: r.id,
        phase: r.phase,
        kind: r.kind,
        checksum: r.checksum,
        down: r.down,
        file: r.file,
        sql: r.up ?? undefined,
        state: r.state,
      },
      s.seq,
    );
  }
}

/**
 * Supabase's CLI keys its history by version and never re-runs a version it has. Files keep
 * their version when the plan changes, so after an evolution the history's statements are set
 * to what the files now hold; `supabase db push` then still sees nothing to do.
 */
export async function refreshMigrationHistory(
  tx: Db,
  steps: { id: string; file: string | null; body: string }[],
  applied: Set<string>,
): Promise<void> {
  const files = [...new Set(steps.map((s) => s.file).filter((f): f is string => f !== null))];
  for (const file of files) {
    const match = /\/(\d+)_([^/]+)\.sql$/.exec(file);
    const inFile = steps.filter((s) => s.file === file);
    if (!match || !inFile.every((s) => applied.has(s.id))) continue;
    await tx.query(
      `insert into supabase_migrations.schema_migrations (version, statements, name) values ($1, $2, $3)
       on conflict (version) do update set statements = excluded.statements, name = excluded.name`,
      [match[1], inFile.map((s) => s.body), match[2]],
    );
  }
}
