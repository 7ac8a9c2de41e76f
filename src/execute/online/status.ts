import type { Db } from '../../db';
import { slotExists } from './begin';
import { lagSeconds } from './lag';
import { copyLsnByTable, type OnlineState } from './state';

export interface SyncStatus {
  slot: string;
  phase: 'copying' | 'syncing' | 'stopped' | 'cut over';
  /** Source WAL the target has not replayed yet (bytes); null once the slot is gone. */
  lagBytes: number | null;
  /** Age of the source state the target reflects (see lag.ts); null before sync recorded one. */
  lagSeconds: number | null;
  /** WAL the slot keeps on the source's disk (bytes). */
  retainedBytes: number | null;
  streaming: boolean;
  tables: { table: string; copiedAt: string | null }[];
  warnings: string[];
}

/** `status --sync`: the slot's lag and retained WAL on the source, and each table's state. */
export async function syncStatus(
  source: Db,
  target: Db,
  state: OnlineState,
  tableIds: string[],
  maxRetainedBytes: number,
): Promise<SyncStatus> {
  const copied = await copyLsnByTable(target, tableIds);
  const exists = await slotExists(source, state.slot);
  const r = exists
    ? (
        await source.query<{ retained: string; lag: string; active: boolean }>(
          `select pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint::text as retained,
                pg_wal_lsn_diff(pg_current_wal_lsn(), $2::pg_lsn)::bigint::text as lag, active
           from pg_replication_slots where slot_name = $1`,
          [state.slot, state.appliedLsn ?? state.startLsn ?? '0/0'],
        )
      ).rows[0]
    : null;
  const retained = r ? Number(r.retained) : null;
  const warnings =
    retained !== null && retained > maxRetainedBytes
      ? [
          `the slot ${state.slot} retains ${retained} bytes of WAL on the source (limit ${maxRetainedBytes}): run sync, cutover, or rollback`,
        ]
      : [];
  if (!exists && !state.doneAt)
    warnings.push(`the slot ${state.slot} is missing on the source: roll back and apply --online again`);
  const phase = state.doneAt
    ? 'cut over'
    : state.stoppedAt
      ? 'stopped'
      : copied.size < tableIds.length
        ? 'copying'
        : 'syncing';
  return {
    slot: state.slot,
    phase,
    lagBytes: r ? Number(r.lag) : null,
    lagSeconds: state.doneAt ? null : await lagSeconds(target),
    retainedBytes: retained,
    streaming: r?.active ?? false,
    tables: tableIds.map((t) => ({ table: t, copiedAt: copied.get(t) ?? null })),
    warnings,
  };
}
