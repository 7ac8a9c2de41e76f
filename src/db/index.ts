import { ExecutionError, UserError } from '../errors';
import { openPg } from './pg-db';
import { openPglite } from './pglite-db';
import type { Db } from './types';
import { parseDbUrl, redactUrl } from './url';

export type { Db, QueryResult } from './types';
export { parseDbUrl, redactUrl } from './url';
export { closeNamedPglite, closeOneNamedPglite } from './pglite-db';

const UNREACHABLE_FIX =
  'check the host and port, and that this machine can reach them (firewall, VPN); Supabase direct connections ' +
  '(db.<ref>.supabase.co) are IPv6-only: from an IPv4-only network use the session pooler URL of the project';

/** Opens a connection; a host that does not answer is the user's to fix (exit 2). */
export async function openDb(url: string, key = 'url'): Promise<Db> {
  const parsed = parseDbUrl(url, key);
  if (parsed.kind === 'pglite') return openPglite(parsed.location);
  try {
    return await openPg(parsed.url);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const reachability = [
      'ECONNREFUSED',
      'ENOTFOUND',
      'EAI_AGAIN',
      'ETIMEDOUT',
      'EHOSTUNREACH',
      'ENETUNREACH',
      'ECONNRESET',
    ];
    // A host that cuts the connection before Postgres answers is unreachable from here too.
    if (reachability.includes(String(e.code)) || /timeout|terminated unexpectedly/i.test(e.message)) {
      throw new UserError(`${key}: cannot reach ${redactUrl(parsed.url)}: ${e.message}`, UNREACHABLE_FIX);
    }
    if (/does not exist|authentication/i.test(e.message)) {
      throw new UserError(
        `${key}: cannot connect to ${redactUrl(parsed.url)}: ${e.message}`,
        'check the host, port, database name and credentials',
      );
    }
    throw new ExecutionError(`cannot connect to ${redactUrl(parsed.url)}: ${e.message}`, err);
  }
}

/** Opens, runs, and always closes. */
export async function withDb<T>(url: string, fn: (db: Db) => Promise<T>, key = 'url'): Promise<T> {
  const db = await openDb(url, key);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}
export { resetTimeouts, setTimeouts, type Timeouts } from './timeouts';
