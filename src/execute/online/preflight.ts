import type { Db } from '../../db';
import type { SourceTable } from './begin';

export interface PreflightCheck {
  ok: boolean;
  /** `blocker` stops an online migration; `advice` is worth doing first. */
  level: 'blocker' | 'advice';
  what: string;
  fix: string | null;
}

interface Settings {
  wal_level: string;
  max_replication_slots: string;
  max_wal_senders: string;
  slots_used: string;
  senders_used: string;
  keep: string;
  can_replicate: boolean;
}

/** What online mode needs from the source (and the target), said before anything starts. */
export async function onlinePreflight(source: Db, tables: SourceTable[], target: Db | null): Promise<PreflightCheck[]> {
  const s = (
    await source.query<Settings>(`select current_setting('wal_level') as wal_level,
      current_setting('max_replication_slots') as max_replication_slots, current_setting('max_wal_senders') as max_wal_senders,
      (select count(*) from pg_replication_slots)::text as slots_used,
      (select count(*) from pg_stat_replication)::text as senders_used,
      current_setting('max_slot_wal_keep_size') as keep,
      (select rolsuper or rolreplication from pg_roles where rolname = current_user) as can_replicate`)
  ).rows[0];
  const checks: PreflightCheck[] = [
    check(
      s.wal_level === 'logical',
      'blocker',
      `wal_level = ${s.wal_level} on the source`,
      'set wal_level = logical on the source; it needs a restart of the source, so plan it first',
    ),
    check(
      Number(s.max_replication_slots) > Number(s.slots_used),
      'blocker',
      `replication slots: ${s.slots_used} of ${s.max_replication_slots} used (online mode needs 1, plus 1 while a copy restarts)`,
      'raise max_replication_slots (restart) or drop an unused slot',
    ),
    check(
      Number(s.max_wal_senders) > Number(s.senders_used),
      'blocker',
      `WAL senders: ${s.senders_used} of ${s.max_wal_senders} used`,
      'raise max_wal_senders (restart)',
    ),
    check(
      s.keep !== '-1',
      'advice',
      `max_slot_wal_keep_size = ${s.keep}`,
      "set max_slot_wal_keep_size (e.g. 50GB, at most the free disk) so a forgotten slot cannot fill the source's disk",
    ),
    check(
      s.can_replicate,
      'blocker',
      'the source role may replicate',
      'grant REPLICATION to the source role (alter role ... replication)',
    ),
    ...(await identityChecks(source, tables)),
  ];
  if (target) checks.push(await subscribeCheck(target));
  return checks;
}

const check = (ok: boolean, level: PreflightCheck['level'], what: string, fix: string): PreflightCheck => ({
  ok,
  level,
  what,
  fix: ok ? null : fix,
});

/** Updates and deletes of a table without a replica identity fail on the source once it is published. */
async function identityChecks(source: Db, tables: SourceTable[]): Promise<PreflightCheck[]> {
  const r = await source.query<{ name: string; ident: string; has_key: boolean }>(
    `select format('%I.%I', n.nspname, c.relname) as name, c.relreplident::text as ident,
            exists (select from pg_index i where i.indrelid = c.oid and (i.indisprimary or i.indisreplident)) as has_key
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where (n.nspname, c.relname) in (select * from unnest($1::text[], $2::text[])) order by 1`,
    [tables.map((t) => t.schema), tables.map((t) => t.table)],
  );
  return r.rows
    .filter((t) => t.ident === 'n' || (t.ident === 'd' && !t.has_key))
    .map((t) =>
      check(
        false,
        'blocker',
        `${t.name} has no replica identity: its updates and deletes would fail while published`,
        `add a primary key, or: alter table ${t.name} replica identity full (if it only ever gets inserts, this can wait)`,
      ),
    );
}

/** A subscription needs a superuser on the target; otherwise sync streams through the engine. */
async function subscribeCheck(target: Db): Promise<PreflightCheck> {
  const r = await target.query<{ s: boolean }>('select rolsuper as s from pg_roles where rolname = current_user');
  const can = r.rows[0]?.s === true;
  return {
    ok: true,
    level: 'advice',
    what: can
      ? 'the target role could subscribe; sync streams through the engine anyway (no source credentials kept there)'
      : 'the target role cannot subscribe (not a superuser, as on Supabase): sync streams through the engine',
    fix: null,
  };
}
