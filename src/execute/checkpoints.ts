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
  /** The SQL the step ran (null on rows written before it was recorded). */
  up: string | null;
  /** Table steps: the table definition; evolution rows: the checkpoint rows they changed. */
  state: unknown;
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
    -- Targets applied by earlier versions get the columns evolution needs.
    alter table supamigrate.checkpoints add column if not exists up_sql text;
    alter table supamigrate.checkpoints add column if not exists state jsonb;
    create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.schema_migrations (
      version text primary key,
      statements text[],
      name text
    );
  `);
  // Identity values are not transactional: a dry run or a failed step leaves a gap behind it.
  // Under the apply lock, the next checkpoint takes the number after the last one kept.
  await db.query(
    `select setval(pg_get_serial_sequence('supamigrate.checkpoints', 'seq'), coalesce((select max(seq) from supamigrate.checkpoints), 0) + 1, false)`,
  );
}

/** Checkpoints in the order they were applied; empty when the target never saw an apply. */
export async function readCheckpoints(db: Db): Promise<Checkpoint[]> {
  const exists = await db.query<{ ok: boolean }>(`select to_regclass('supamigrate.checkpoints') is not null as ok`);
  if (!exists.rows[0]?.ok) return [];
  const cols = await db.query<{ n: string }>(
    `select count(*) as n from pg_catalog.pg_attribute where attrelid = 'supamigrate.checkpoints'::regclass and attname in ('up_sql', 'state') and not attisdropped`,
  );
  const extra =
    Number(cols.rows[0]?.n) === 2 ? 'up_sql, state::text as state' : 'null::text as up_sql, null::text as state';
  const r = await db.query<{
    seq: string;
    step_id: string;
    phase: string;
    kind: string;
    checksum: string;
    down_sql: string;
    file: string | null;
    applied_at: string;
    up_sql: string | null;
    state: string | null;
  }>(
    `select seq, step_id, phase, kind, checksum, down_sql, file, applied_at::text, ${extra} from supamigrate.checkpoints order by seq`,
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
    up: row.up_sql,
    state: row.state === null ? null : JSON.parse(row.state),
  }));
}

export interface CheckpointInput {
  id: string;
  phase: string;
  kind: string;
  checksum: string;
  down: string;
  file: string | null;
  sql?: string;
  state?: unknown;
}

/** Records an applied step; `seq` keeps a row's place when evolution rewrites or restores it. */
export async function recordCheckpoint(tx: Db, s: CheckpointInput, seq?: number): Promise<void> {
  const values = [
    s.id,
    s.phase,
    s.kind,
    s.checksum,
    s.down,
    s.file,
    s.sql ?? null,
    s.state === undefined || s.state === null ? null : JSON.stringify(s.state),
  ];
  if (seq === undefined) {
    await tx.query(
      'insert into supamigrate.checkpoints (step_id, phase, kind, checksum, down_sql, file, up_sql, state) ' +
        'values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)',
      values,
    );
  } else {
    await tx.query(
      'insert into supamigrate.checkpoints (seq, step_id, phase, kind, checksum, down_sql, file, up_sql, state) ' +
        'overriding system value values ($9, $1, $2, $3, $4, $5, $6, $7, $8::jsonb)',
      [...values, seq],
    );
  }
}

export async function deleteCheckpoint(tx: Db, stepId: string): Promise<void> {
  await tx.query('delete from supamigrate.checkpoints where step_id = $1', [stepId]);
}
