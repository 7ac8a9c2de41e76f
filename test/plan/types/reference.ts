import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { PGlite } from '@electric-sql/pglite';
import { openDb } from '../../../src/db';
import { ROOT } from '../../helpers/sources';

const SERVER = join(ROOT, 'node_modules/@supabase/postgres-meta/dist/server/server.js');

/**
 * Runs Supabase's own generator (postgres-meta) against a database, as `supabase gen types
 * typescript` does (one-to-one detection on), and returns the file it prints. Asynchronous on
 * purpose: a PGlite served from this process must keep answering while it runs.
 */
export function postgresMetaTypes(url: string, schemas: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVER], {
      env: {
        PATH: process.env.PATH,
        PG_META_GENERATE_TYPES: 'typescript',
        PG_META_DB_URL: url,
        PG_META_GENERATE_TYPES_INCLUDED_SCHEMAS: schemas.join(','),
        PG_META_GENERATE_TYPES_DETECT_ONE_TO_ONE_RELATIONSHIPS: 'true',
      },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c));
    child.stderr.on('data', (c: Buffer) => (err += c));
    child.on('error', reject);
    child.on('exit', (code) => {
      // console.log adds one newline after the formatted file.
      if (code === 0) resolve(out.endsWith('\n\n') ? out.slice(0, -1) : out);
      else reject(new Error(`postgres-meta exited with ${code}: ${err.slice(-2000)}`));
    });
  });
}

/** Serves a named in-memory PGlite over the wire protocol so postgres-meta can connect. */
export async function servePglite(url: string): Promise<{ url: string; stop(): Promise<void> }> {
  const db = await openDb(url);
  // The test reaches the instance behind the Db on purpose: the socket server needs it.
  const pg = (db as unknown as { pg: PGlite }).pg;
  const server = new PGLiteSocketServer({ db: pg, host: '127.0.0.1', port: 0, maxConnections: 8 });
  await server.start();
  const port = Number(server.getServerConn().split(':').pop());
  return { url: `postgresql://postgres@127.0.0.1:${port}/postgres`, stop: () => server.stop() };
}

/** Lines that differ, as `line N: -expected / +actual`, the first few only. */
export function lineDifferences(expected: string, actual: string, limit = 20): string[] {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const out: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length) && out.length < limit; i++) {
    if (a[i] !== b[i]) out.push(`line ${i + 1}: -${a[i] ?? '<none>'} / +${b[i] ?? '<none>'}`);
  }
  return out;
}
