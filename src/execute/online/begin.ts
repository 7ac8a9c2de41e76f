import { randomBytes } from 'node:crypto';
import type { Db } from '../../db';
import { UserError } from '../../errors';
import { ident, qname } from '../../sql';
import { OUR_PREFIX, SlotSnapshot } from './slot';
import { ensureOnlineTables, readOnlineState } from './state';

export interface SourceTable {
  schema: string;
  table: string;
}

/**
 * The snapshot an online copy reads in. The first time: a publication for the planned tables,
 * then the slot with its exported snapshot, so the stream starts exactly where the copy reads
 * (the publication first, or decoding would not find it). Later runs, after the snapshot holder
 * died with unfinished tables: a temporary slot gives a new snapshot with a known LSN; the
 * tables it restarts skip the changes that snapshot already holds (see stream.ts), and the
 * first slot keeps every change since the first snapshot for the tables already finished.
 */
export async function takeOnlineSnapshot(
  source: Db,
  sourceUrl: string,
  target: Db,
  tables: SourceTable[],
): Promise<SlotSnapshot> {
  await ensureOnlineTables(target);
  let state = await readOnlineState(target);
  if (state?.doneAt) throw new UserError('this target was already cut over', 'roll back first to migrate again');
  if (!state) {
    const name = `${OUR_PREFIX}${randomBytes(5).toString('hex')}`;
    // Recorded before anything exists on the source, so a kill in between leaks nothing unnamed.
    await target.query('insert into supamigrate.online_sync (slot, publication) values ($1, $1)', [name]);
    state = await readOnlineState(target);
  }
  const { slot, publication } = state!;
  if (state!.startLsn && (await slotExists(source, slot))) {
    const temp = await SlotSnapshot.create(sourceUrl, `${slot}_r${randomBytes(3).toString('hex')}`, true);
    await recordSnapshot(target, temp);
    return temp;
  }
  if (state!.startLsn) {
    throw new UserError(
      `the replication slot ${slot} is gone from the source`,
      'run `supamigrate rollback` and apply again',
    );
  }
  await source.exec(`drop publication if exists ${ident(publication)}`);
  await source.exec(
    `create publication ${ident(publication)} for table ${tables.map((t) => qname(t.schema, t.table)).join(', ')}`,
  );
  if (await slotExists(source, slot)) await source.query('select pg_drop_replication_slot($1)', [slot]);
  const held = await SlotSnapshot.create(sourceUrl, slot, false);
  await target.transaction(async (t) => {
    await t.query('update supamigrate.online_sync set start_lsn = $1, applied_lsn = $1', [held.lsn]);
    await recordSnapshot(t, held);
  });
  return held;
}

async function recordSnapshot(target: Db, s: SlotSnapshot): Promise<void> {
  await target.query(
    'insert into supamigrate.online_snapshots (snapshot, lsn) values ($1, $2) on conflict do nothing',
    [s.id, s.lsn],
  );
}

export async function slotExists(source: Db, slot: string): Promise<boolean> {
  const r = await source.query('select 1 from pg_replication_slots where slot_name = $1', [slot]);
  return r.rows.length > 0;
}

/** Drops the slot and the publication on the source (rollback, and the end of cutover). */
export async function dropReplication(source: Db, slot: string, publication: string): Promise<void> {
  // A slot still streaming to a sync process cannot be dropped: end that process first.
  await source.query(
    'select pg_terminate_backend(active_pid) from pg_replication_slots where slot_name = $1 and active_pid is not null',
    [slot],
  );
  for (let i = 0; i < 50 && (await slotExists(source, slot)); i++) {
    const r = await source.query<{ active: boolean }>('select active from pg_replication_slots where slot_name = $1', [
      slot,
    ]);
    if (!r.rows[0]?.active) await source.query('select pg_drop_replication_slot($1)', [slot]);
    else await new Promise((res) => setTimeout(res, 100));
  }
  await source.exec(`drop publication if exists ${ident(publication)}`);
}
