import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { pgDump } from '@electric-sql/pglite-tools/pg_dump';
import { openDb } from '../../src/db';
import { servePglite } from '../plan/types/reference';
import { REAL_SCHEMAS_DIR } from './real-schemas';

/**
 * What the server round trips take from the system's pg_dump and psql, for a named in-memory
 * PGlite (`pglite://memory/<name>`): the system's pg_dump 15 refuses PGlite's Postgres 18, so the
 * dump comes from pglite-tools' pg_dump 18 (WASM), run against the instance itself.
 */

/** The instance behind a named in-memory PGlite URL (the test reaches it on purpose). */
async function instanceOf(url: string): Promise<PGlite> {
  const db = await openDb(url);
  return (db as unknown as { pg: PGlite }).pg;
}

/** `pg_dump --schema-only` of some schemas of a PGlite, with the server dump's options. */
export async function dumpPgliteSchemas(url: string, schemas: string[]): Promise<string> {
  const args = ['--schema-only', '--no-owner', '--no-privileges', '--no-tablespaces'];
  for (const s of schemas) args.push('--schema', `"${s.replace(/"/g, '""')}"`);
  const file = await pgDump({ pg: await instanceOf(url), args });
  return file.text();
}

/**
 * Runs the fixtures' own loader (psql) against a PGlite served over the wire protocol. PGlite
 * ignores the startup options load.sh passes in PGOPTIONS, so the search_path it asks for the
 * Supabase migration sets is set on the (single) session for the load and reset after.
 */
export async function loadRealSchemaIntoPglite(name: string, url: string, searchPath: string | null): Promise<void> {
  const pg = await instanceOf(url);
  const served = await servePglite(url);
  if (searchPath) await pg.exec(`set search_path = ${searchPath}`);
  try {
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(join(REAL_SCHEMAS_DIR, 'load.sh'), [name, served.url]);
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c));
      child.on('error', reject);
      child.on('exit', (c) => resolve({ code: c, stderr: err }));
    });
    if (code !== 0) throw new Error(`load.sh ${name} into PGlite failed: ${stderr.slice(-3000)}`);
  } finally {
    await served.stop();
    await pg.exec('reset search_path');
  }
}
