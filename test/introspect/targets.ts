import { readFileSync } from 'fs';
import { join } from 'path';
import { openDb, type Db } from '../../src/db';
import { ident } from '../../src/sql';

/** PGlite always; the server in TEST_DATABASE_URL as well when it is set. */
export const targets: ('pglite' | 'server')[] = ['pglite', ...(process.env.TEST_DATABASE_URL ? (['server'] as const) : [])];

export const exoticSql = readFileSync(join(__dirname, '..', 'fixtures', 'exotic.sql'), 'utf8');
export const chinookSql = readFileSync('/work/shared/fixtures/chinook/chinook.sql', 'utf8');

export interface TestDatabase {
  db: Db;
  drop(): Promise<void>;
}

/** A fresh database: in-memory PGlite, or a uniquely named database on the shared server. */
export async function freshDatabase(target: 'pglite' | 'server', purpose: string): Promise<TestDatabase> {
  if (target === 'pglite') {
    const db = await openDb('pglite://memory');
    return { db, drop: () => db.close() };
  }
  const serverUrl = process.env.TEST_DATABASE_URL as string;
  const name = `sm_${purpose}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = await openDb(serverUrl);
  await admin.exec(`create database ${ident(name)}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = await openDb(url.toString());
  return {
    db,
    drop: async () => {
      await db.close();
      await admin.exec(`drop database if exists ${ident(name)} with (force)`);
      await admin.close();
    },
  };
}
