import type { Db } from '../../db';
import type { TableCopy } from '../../plan/data/types';
import { readCheckpoint } from './checkpoints';
import { runChunk, type ChunkWork } from './chunk-run';
import type { Chunk } from './types';

/**
 * The shared chunk pool on the target, for data workers on other machines (`apply --data-worker`).
 *
 * The leader (`apply --share-data`) opens a run with the exported snapshot it holds and offers the
 * range chunks it planned. Anyone, the leader's own workers included, loads a chunk by locking its
 * offer (`FOR UPDATE SKIP LOCKED`) and, in that same target transaction, loading the rows, writing
 * the checkpoint and deleting the offer. A worker that dies rolls back: the rows, the checkpoint
 * and the delete are undone together, the lock goes, and the offer is free for the next claim.
 */
export async function ensurePoolTables(target: Db): Promise<void> {
  await target.exec(`create schema if not exists supamigrate;
create table if not exists supamigrate.data_pool (
  table_id text not null,
  chunk_no int not null,
  key_lo text,
  key_hi text,
  copy jsonb not null,
  primary key (table_id, chunk_no)
);
create table if not exists supamigrate.data_pool_run (
  id int primary key default 1 check (id = 1),
  snapshot text,
  open boolean not null,
  changed_at timestamptz not null default now()
)`);
}

/** Starts a shared run in `snapshot`; offers left by an earlier run (another snapshot) are dropped. */
export async function openPool(target: Db, snapshot: string): Promise<void> {
  await ensurePoolTables(target);
  await target.transaction(async (tx) => {
    await tx.query('delete from supamigrate.data_pool');
    await tx.query(
      `insert into supamigrate.data_pool_run (id, snapshot, open) values (1, $1, true)
       on conflict (id) do update set snapshot = excluded.snapshot, open = true, changed_at = now()`,
      [snapshot],
    );
  });
}

/** Ends the shared run: workers waiting for chunks exit. */
export async function closePool(target: Db): Promise<void> {
  await target.query('update supamigrate.data_pool_run set open = false, changed_at = now()');
}

export async function offerChunks(target: Db, copy: TableCopy, chunks: Chunk[]): Promise<void> {
  if (chunks.length === 0) return;
  await target.query(
    `insert into supamigrate.data_pool (table_id, chunk_no, key_lo, key_hi, copy)
     select $1, c.no, c.lo, c.hi, $5::jsonb
       from unnest($2::int[], $3::text[], $4::text[]) as c(no, lo, hi)
     on conflict (table_id, chunk_no) do nothing`,
    [copy.id, chunks.map((c) => c.no), chunks.map((c) => c.lo), chunks.map((c) => c.hi), JSON.stringify(copy)],
  );
}

/** The shared run as the leader left it: null before any leader opened one. */
export async function poolRun(target: Db): Promise<{ snapshot: string | null; open: boolean } | null> {
  const exists = await target.query<{ t: string | null }>("select to_regclass('supamigrate.data_pool_run')::text as t");
  if (!exists.rows[0]?.t) return null;
  const r = await target.query<{ snapshot: string | null; open: boolean }>(
    'select snapshot, open from supamigrate.data_pool_run where id = 1',
  );
  return r.rows[0] ?? null;
}

export type ClaimOutcome =
  | { kind: 'loaded'; table: string; chunk: number; rows: number }
  /** Another worker holds it now; ask again later (it comes back if that worker dies). */
  | { kind: 'busy' }
  /** Loaded and committed by someone (maybe this worker, before a dropped connection). */
  | { kind: 'done-elsewhere'; rows: number };

/** A view of an open transaction whose nested `transaction` stays in it (no BEGIN inside BEGIN). */
function within(tx: Db): Db {
  const view: Db = { ...tx, transaction: (fn) => fn(view) };
  view.query = tx.query.bind(tx);
  view.exec = tx.exec.bind(tx);
  if (tx.copyIn) view.copyIn = tx.copyIn.bind(tx);
  if (tx.copyOut) view.copyOut = tx.copyOut.bind(tx);
  return view;
}

type PoolRow = { table_id: string; chunk_no: number; key_lo: string | null; key_hi: string | null; copy: TableCopy };

async function loadClaimed(source: Db, tx: Db, row: PoolRow, work: Omit<ChunkWork, 'copy' | 'chunk' | 'lastKey'>) {
  const chunk: Chunk = { no: row.chunk_no, lo: row.key_lo, hi: row.key_hi, after: null };
  const loaded = await runChunk(source, within(tx), { ...work, copy: row.copy, chunk, lastKey: null });
  await tx.query('delete from supamigrate.data_pool where table_id = $1 and chunk_no = $2', [
    row.table_id,
    row.chunk_no,
  ]);
  return { kind: 'loaded' as const, table: row.table_id, chunk: row.chunk_no, rows: loaded.rows };
}

/** Claims and loads this one chunk, if no one else holds or has loaded it. */
export async function claimChunk(source: Db, target: Db, work: ChunkWork): Promise<ClaimOutcome> {
  const { copy, chunk } = work;
  const outcome = await target.transaction(async (tx): Promise<ClaimOutcome | null> => {
    const r = await tx.query<PoolRow>(
      `select table_id, chunk_no, key_lo, key_hi, copy from supamigrate.data_pool
        where table_id = $1 and chunk_no = $2 for update skip locked`,
      [copy.id, chunk.no],
    );
    if (r.rows.length === 0) return null;
    return loadClaimed(source, tx, { ...r.rows[0], copy }, work);
  });
  if (outcome) return outcome;
  const done = await readCheckpoint(target, copy.id, chunk.no);
  return done ? { kind: 'done-elsewhere', rows: done.rows } : { kind: 'busy' };
}

/** Claims and loads any free chunk; null when none is free right now. */
export async function claimAnyChunk(
  source: Db,
  target: Db,
  work: Omit<ChunkWork, 'copy' | 'chunk' | 'lastKey'>,
): Promise<ClaimOutcome | null> {
  return target.transaction(async (tx) => {
    const r = await tx.query<PoolRow>(
      `select table_id, chunk_no, key_lo, key_hi, copy from supamigrate.data_pool
        order by table_id, chunk_no limit 1 for update skip locked`,
    );
    return r.rows[0] ? loadClaimed(source, tx, r.rows[0], work) : null;
  });
}
