import { randomBytes } from 'node:crypto';
import { openDb, withDb } from '../../src/db';

export type TargetKind = 'pglite' | 'server';

/** PGlite always; the server too when TEST_DATABASE_URL is set (CI sets it). */
export const TARGETS: TargetKind[] = ['pglite', ...(process.env.TEST_DATABASE_URL ? (['server'] as const) : [])];

export interface FreshDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A new empty database: a named in-memory PGlite, or a uniquely named database on the server. */
export async function freshDatabase(kind: TargetKind, purpose: string): Promise<FreshDatabase> {
  const name = `sm_${purpose}_${randomBytes(4).toString('hex')}`;
  if (kind === 'pglite') return { url: `pglite://memory/${name}`, drop: async () => undefined };
  const admin = process.env.TEST_DATABASE_URL as string;
  await withDb(admin, (db) => db.exec(`create database ${name}`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withDb(admin, (db) => db.exec(`drop database if exists ${name} with (force)`)),
  };
}

export { openDb, withDb };
