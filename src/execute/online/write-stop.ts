import type { Db } from '../../db';
import { UserError } from '../../errors';
import { ident } from '../../sql';
import type { OnlineSpec } from '../../spec/online';

/**
 * How cutover stops writes on the source. `read-only`: new sessions start read-only (a database
 * default) and open sessions are ended, since a default does not reach them. `revoke`: the app
 * role loses its write privileges, and its open sessions are ended so no transaction that began
 * before can still commit. `already-stopped`: the operator stopped the application.
 */
export type WriteStop = { method: 'read-only' } | { method: 'revoke'; role: string } | { method: 'already-stopped' };

export function parseWriteStop(method: string, role?: string): WriteStop {
  if (method === 'read-only' || method === 'already-stopped') return { method };
  if (method === 'revoke') {
    if (!role)
      throw new UserError(
        'the revoke write stop needs the application role',
        'pass --app-role <role>, or set online.app_role in migration.yaml',
      );
    return { method, role };
  }
  throw new UserError(
    `unknown write stop method "${method}"`,
    'pass --write-stop read-only, revoke or already-stopped',
  );
}

/** The write stop cutover uses: the flags where given, else the spec's `online.write_stop` and `online.app_role`. */
export function writeStopFor(online: OnlineSpec, flags: { writeStop?: string; appRole?: string } = {}): WriteStop {
  return parseWriteStop(flags.writeStop ?? online.writeStop, flags.appRole ?? online.appRole ?? undefined);
}

/** Stops writes and returns the fence: an LSN taken after the stop, that the target must reach. */
export async function stopWrites(source: Db, stop: WriteStop, waitSeconds: number): Promise<string> {
  // This session writes nothing, but a re-run's new session would start read-only.
  await source.exec('set default_transaction_read_only = off');
  if (stop.method === 'read-only') {
    const db = await source.query<{ d: string }>('select current_database() as d');
    await source.exec(`alter database ${ident(db.rows[0].d)} set default_transaction_read_only = on`);
    await endSessions(source, null, waitSeconds);
  } else if (stop.method === 'revoke') {
    await source.exec(`do $$ declare s text; begin
      for s in select nspname from pg_namespace where nspname !~ '^pg_' and nspname <> 'information_schema' loop
        execute format('revoke insert, update, delete, truncate on all tables in schema %I from ${ident(stop.role)}', s);
      end loop; end $$`);
    await endSessions(source, stop.role, waitSeconds);
  }
  const r = await source.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn');
  return r.rows[0].lsn;
}

/** Ends the client sessions of this database (of one role), and waits until they are gone. */
async function endSessions(source: Db, role: string | null, waitSeconds: number): Promise<void> {
  const filter = `datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
    and ($1::text is null or usename = $1)`;
  await source.query(`select pg_terminate_backend(pid) from pg_stat_activity where ${filter}`, [role]);
  const until = Date.now() + waitSeconds * 1000;
  for (;;) {
    const left = await source.query(`select pid from pg_stat_activity where ${filter}`, [role]);
    if (left.rows.length === 0) return;
    if (Date.now() > until)
      throw new Error(`${left.rows.length} session(s) on the source did not end within ${waitSeconds} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What to run on the source to accept writes again (printed by cutover and rollback). */
export function undoWriteStopSql(stop: string | null, database: string): string | null {
  if (stop === 'read-only') return `alter database ${ident(database)} reset default_transaction_read_only`;
  return null;
}
