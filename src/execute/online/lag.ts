import type { Db } from '../../db';

/**
 * Lag in seconds: how old the source state the target reflects is. The stream records the
 * instant its target was last complete: after a batch, the source commit time of the batch's
 * last transaction; while idle, when a keepalive said there was nothing more to send (taken as
 * the time it arrived: a few ms of transit are counted as in sync). Lag = now - that instant,
 * both read on the target's clock except commit times, which are the source's (skew counts).
 */
export async function ensureLagColumn(target: Db): Promise<void> {
  await target.exec('alter table supamigrate.online_sync add column if not exists in_sync_as_of timestamptz');
}

/** Moves the recorded instant forward (never back), in the caller's transaction if one is open. */
export async function recordInSync(target: Db, asOfMs: number): Promise<void> {
  await target.query(
    `update supamigrate.online_sync
        set in_sync_as_of = greatest(in_sync_as_of, to_timestamp($1::float8 / 1000))`,
    [asOfMs],
  );
}

/** null before the stream recorded anything (or on a target from before this column). */
export async function lagSeconds(target: Db): Promise<number | null> {
  const column = await target.query<{ n: string }>(
    `select count(*)::text as n from information_schema.columns
      where table_schema = 'supamigrate' and table_name = 'online_sync' and column_name = 'in_sync_as_of'`,
  );
  if (column.rows[0]?.n !== '1') return null;
  const r = await target.query<{ s: string | null }>(
    'select extract(epoch from now() - in_sync_as_of)::float8::text as s from supamigrate.online_sync where id = 1',
  );
  const s = r.rows[0]?.s;
  return s === null || s === undefined ? null : Math.max(0, Number(s));
}
