import type { Db } from '../../db';

/**
 * Both ends print and parse values the same way: UTC, ISO dates, exact floats, hex bytea.
 * Without this a timestamptz would be rendered in the source's zone and checksums would differ.
 */
export const SESSION_SETTINGS = [
  "set time zone 'UTC'",
  "set datestyle to 'ISO, YMD'",
  "set intervalstyle to 'postgres'",
  'set extra_float_digits to 3',
  "set bytea_output to 'hex'",
];

export async function prepareSession(db: Db): Promise<Db> {
  await db.exec(SESSION_SETTINGS.join(';\n'));
  return db;
}

// 22P04 (bad COPY format) is what the target says when the source's COPY stream breaks off
// mid-row, e.g. the source connection was terminated: the same columns on both sides cannot
// produce it otherwise, and a retry that fails again still reports it.
const TRANSIENT_CODES = ['57P01', '57P02', '57P03', '40001', '40P01', '53300', '22P04'];

/** Node's codes for a socket the server closed under us (a terminated backend, a restart). */
const SOCKET_CODES = ['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'ENOTCONN'];

/** A dropped connection or server restart is worth a retry; a rejected row is not. */
export function isTransient(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : '';
  if (/^08/.test(code) || TRANSIENT_CODES.includes(code) || SOCKET_CODES.includes(code)) return true;
  // A SQLSTATE has five characters; so do some socket codes (EPIPE), which only Node sets with a syscall.
  if (/^[0-9A-Z]{5}$/.test(code) && !('syscall' in (e ?? {}))) return false;
  return /connection|terminated|ECONNRESET|EPIPE|ECONNREFUSED|socket|not queryable/i.test(String(e?.message ?? err));
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
