import type { Db } from '../../db';

/**
 * An online migration's progress, kept on the target next to the chunk checkpoints, so every
 * command (apply, sync, cutover, rollback) and every re-run after a kill reads the same facts.
 */
export interface OnlineState {
  slot: string;
  publication: string;
  /** The slot's consistent point: the copy's snapshot sees every transaction committed before it. */
  startLsn: string | null;
  /** End of the last source transaction applied on the target, or where the stream was caught up. */
  appliedLsn: string | null;
  stoppedAt: string | null;
  fenceLsn: string | null;
  writeStop: string | null;
  doneAt: string | null;
}

export async function ensureOnlineTables(target: Db): Promise<void> {
  await target.exec(`create schema if not exists supamigrate;
create table if not exists supamigrate.online_sync (
  id int primary key default 1 check (id = 1),
  slot text not null,
  publication text not null,
  start_lsn pg_lsn,
  applied_lsn pg_lsn,
  stopped_at timestamptz,
  fence_lsn pg_lsn,
  write_stop text,
  done_at timestamptz
);
create table if not exists supamigrate.online_snapshots (snapshot text primary key, lsn pg_lsn not null)`);
}

interface StateRow {
  slot: string;
  publication: string;
  start_lsn: string | null;
  applied_lsn: string | null;
  stopped_at: string | null;
  fence_lsn: string | null;
  write_stop: string | null;
  done_at: string | null;
}

/** null when no online migration was started on this target. */
export async function readOnlineState(target: Db): Promise<OnlineState | null> {
  const exists = await target.query<{ t: string | null }>("select to_regclass('supamigrate.online_sync')::text as t");
  if (!exists.rows[0]?.t) return null;
  const r = await target.query<StateRow>(
    `select slot, publication, start_lsn::text, applied_lsn::text, stopped_at::text, fence_lsn::text, write_stop, done_at::text
       from supamigrate.online_sync where id = 1`,
  );
  const s = r.rows[0];
  if (!s) return null;
  return {
    slot: s.slot,
    publication: s.publication,
    startLsn: s.start_lsn,
    appliedLsn: s.applied_lsn,
    stoppedAt: s.stopped_at,
    fenceLsn: s.fence_lsn,
    writeStop: s.write_stop,
    doneAt: s.done_at,
  };
}

/** The LSN of each snapshot a chunk of these tables was read in (the slot's, or a restart's). */
export async function copyLsnByTable(target: Db, tableIds: string[]): Promise<Map<string, string>> {
  const r = await target.query<{ table_id: string; lsn: string }>(
    `select c.table_id, max(s.lsn)::text as lsn
       from supamigrate.data_chunks c join supamigrate.online_snapshots s on s.snapshot = c.snapshot
      where c.table_id = any($1) group by c.table_id order by c.table_id`,
    [tableIds],
  );
  return new Map(r.rows.map((x) => [x.table_id, x.lsn]));
}

/** An LSN written as `X/Y` (hex halves) as a number of bytes. */
export function lsnValue(lsn: string): bigint {
  const [hi, lo] = lsn.split('/');
  return (BigInt(`0x${hi}`) << 32n) + BigInt(`0x${lo}`);
}

export const lsnCompare = (a: string, b: string): number => Math.sign(Number(lsnValue(a) - lsnValue(b)));
export const lsnBytes = (a: string, b: string): number => Number(lsnValue(a) - lsnValue(b));
export const lsnMax = (a: string | null, b: string | null): string | null =>
  !a ? b : !b ? a : lsnCompare(a, b) >= 0 ? a : b;
