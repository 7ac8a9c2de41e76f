import { randomBytes } from 'node:crypto';
import { openDb, type Db } from '../../src/db';
import { ident } from '../../src/sql';

export type TargetKind = 'pglite' | 'server';

const server = process.env.TEST_DATABASE_URL;

export const TARGETS: TargetKind[] = ['pglite', ...(server ? (['server'] as const) : [])];

/** A fresh, empty database; `connect` opens another session on it (PGlite has only one). */
export interface Target {
  db: Db;
  connect(): Promise<Db>;
  dispose(): Promise<void>;
}

export async function openTarget(kind: TargetKind, purpose: string): Promise<Target> {
  if (kind === 'pglite') {
    const db = await openDb('pglite://memory');
    return { db, connect: async () => db, dispose: () => db.close() };
  }
  // Other engineers' tests share the server, so each test gets its own database.
  const name = `sm_${purpose}_${randomBytes(6).toString('hex')}`;
  const admin = await openDb(server as string);
  await admin.exec(`create database ${ident(name)}`);
  const url = new URL(server as string);
  url.pathname = `/${name}`;
  const sessions: Db[] = [];
  const connect = async () => {
    const db = await openDb(url.toString());
    sessions.push(db);
    return db;
  };
  const db = await connect();
  return {
    db,
    connect,
    dispose: async () => {
      for (const s of sessions) await s.close();
      await admin.exec(`drop database if exists ${ident(name)} with (force)`);
      await admin.close();
    },
  };
}
