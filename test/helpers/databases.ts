import { randomBytes } from 'node:crypto';
import { closeOneNamedPglite, openDb, withDb } from '../../src/db';

export type TargetKind = 'pglite' | 'server';

/** PGlite always; the server too when TEST_DATABASE_URL is set (CI sets it). */
export const TARGETS: TargetKind[] = ['pglite', ...(process.env.TEST_DATABASE_URL ? (['server'] as const) : [])];

export interface FreshDatabase {
  /** Connects as the admin (superuser) role. */
  url: string;
  /** Connects as the database's owner: a non-superuser on the server, like Supabase's `postgres`. */
  ownerUrl: string;
  drop(): Promise<void>;
}

/** A login role without superuser that owns the server databases made for targets. */
export const APP_OWNER = 'sm_app_owner';

/** A new empty database: a named in-memory PGlite, or a uniquely named database on the server. */
export async function freshDatabase(kind: TargetKind, purpose: string): Promise<FreshDatabase> {
  const name = `sm_${purpose}_${randomBytes(4).toString('hex')}`;
  // Dropping a named PGlite closes it: an open instance keeps jest from exiting.
  if (kind === 'pglite') return { url: `pglite://memory/${name}`, ownerUrl: `pglite://memory/${name}`, drop: () => closeOneNamedPglite(`memory/${name}`) };
  const admin = process.env.TEST_DATABASE_URL as string;
  await withDb(admin, async (db) => {
    // Roles are cluster-wide and other test files create this one concurrently.
    await db.exec(`do $$ begin
      if not exists (select from pg_roles where rolname = '${APP_OWNER}') then create role ${APP_OWNER} login nosuperuser; end if;
      exception when duplicate_object or unique_violation then null; end $$`);
    await db.exec(`create database ${name} owner ${APP_OWNER}`);
  });
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const owner = new URL(url.toString());
  owner.username = APP_OWNER;
  owner.password = '';
  return {
    url: url.toString(),
    ownerUrl: owner.toString(),
    drop: () => withDb(admin, (db) => db.exec(`drop database if exists ${name} with (force)`)),
  };
}

export { openDb, withDb };

/**
 * describe.each / it.each for lists that may be empty (server-only cases without a server):
 * jest refuses an empty table, and a suite that is not run must not count as skipped-green.
 */
export function describeEach<T>(items: T[], title: string, fn: (item: T) => void): void {
  for (const item of items) describe(title.replace('%s', String(item)), () => fn(item));
}

export function itEach<T>(items: T[], title: string, fn: (item: T) => Promise<void>): void {
  for (const item of items) it(title.replace('%s', String(item)), () => fn(item));
}
