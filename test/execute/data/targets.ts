import { randomBytes } from 'crypto';
import { closeNamedPglite, openDb, type Db } from '../../../src/db';

export const server = process.env.TEST_DATABASE_URL;

/** A fresh database on one side of a copy: a named in-memory PGlite or a new server database. */
export interface TestDatabase {
  url: string;
  connect: () => Promise<Db>;
  drop: () => Promise<void>;
}

export async function freshDatabase(kind: 'pglite' | 'server', purpose: string): Promise<TestDatabase> {
  const name = `sm_${purpose}_${randomBytes(5).toString('hex')}`;
  if (kind === 'pglite') {
    const url = `pglite://memory/${name}`;
    return { url, connect: () => openDb(url), drop: async () => undefined };
  }
  const admin = await openDb(server!);
  await admin.exec(`create database ${name}`);
  await admin.close();
  const url = withDatabase(server!, name);
  return {
    url,
    connect: () => openDb(url),
    drop: async () => {
      const a = await openDb(server!);
      await a.exec(`drop database if exists ${name} with (force)`);
      await a.close();
    },
  };
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function closeAll(): Promise<void> {
  await closeNamedPglite();
}

export async function run(db: TestDatabase, sql: string): Promise<void> {
  const c = await db.connect();
  try {
    await c.exec(sql);
  } finally {
    await c.close();
  }
}
