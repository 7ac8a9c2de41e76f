import type { Db } from '../db';

/** One row per applied step, written in the same transaction as the step itself. */
export interface Checkpoint {
  seq: number;
  stepId: string;
  phase: string;
  kind: string;
  checksum: string;
  down: string;
  file: string | null;
  appliedAt: string;
}

export async function ensureCheckpointTable(db: Db): Promise<void> {
  await db.exec(`
    create schema if not exists supamigrate;
    create table if not exists supamigrate.checkpoints (
      seq bigint generated always as identity,
      step_id text primary key,
      phase text not null,
      kind text not null,
      checksum text not null,
      down_sql text not null,
      file text,
      applied_at timestamptz not null default now()
    );
    create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.schema_migrations (
      version text primary key,
      statements text[],
      name text
    );
  `);
}

/** Checkpoints in the order they were applied; empty when the target never saw an apply. */
export async function readCheckpoints(db: Db): Promise<Checkpoint[]> {
  const exists = await db.query<{ ok: boolean }>(`select to_regclass('supamigrate.checkpoints') is not null as ok`);
  if (!exists.rows[0]?.ok) return [];
  const r = await db.query<{ seq: string; step_id: string; phase: string; kind: string; checksum: string; down_sql: string; file: string | null; applied_at: string }>(
    'select seq, step_id, phase, kind, checksum, down_sql, file, applied_at::text from supamigrate.checkpoints order by seq',
  );
  return r.rows.map((row) => ({
    seq: Number(row.seq),
    stepId: row.step_id,
    phase: row.phase,
    kind: row.kind,
    checksum: row.checksum,
    down: row.down_sql,
    file: row.file,
    appliedAt: row.applied_at,
  }));
}

export async function recordCheckpoint(
  tx: Db,
  s: { id: string; phase: string; kind: string; checksum: string; down: string; file: string | null },
): Promise<void> {
  await tx.query(
    'insert into supamigrate.checkpoints (step_id, phase, kind, checksum, down_sql, file) values ($1, $2, $3, $4, $5, $6)',
    [s.id, s.phase, s.kind, s.checksum, s.down, s.file],
  );
}

export async function deleteCheckpoint(tx: Db, stepId: string): Promise<void> {
  await tx.query('delete from supamigrate.checkpoints where step_id = $1', [stepId]);
}
