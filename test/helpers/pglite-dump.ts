import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { pgDump } from '@electric-sql/pglite-tools';
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

/** The length field's value that marks an untyped SSLRequest or GSSENCRequest, not a StartupMessage. */
const ENCRYPTION_REQUESTS = [80877103, 80877104];

/**
 * The instance, handing PGlite only whole protocol messages. libpq (pg_dump's) writes a message
 * longer than its 8 KB send buffer in several calls, and pglite-tools passes each call to PGlite
 * as it comes; PGlite never completes a message cut in two, and the synchronous pg_dump then never
 * returns. pg_dump's batched LOCK TABLE passes 8 KB at about 270 tables (apflora's fuzzysearch
 * has 499). Framing follows the protocol: the first message (startup, or an encryption request
 * before it) has no type byte; every later one is a type byte and a length that counts itself.
 */
export function wholeMessages(pg: PGlite): PGlite {
  let pending = new Uint8Array(0);
  let started = false;
  const forward = pg.execProtocolRawStream.bind(pg);
  const framed: PGlite['execProtocolRawStream'] = (bytes, options) => {
    const joined = new Uint8Array(pending.length + bytes.length);
    joined.set(pending, 0);
    joined.set(bytes, pending.length);
    let end = 0;
    for (;;) {
      // A typed message is at least its type and length; an untyped one, its length and code.
      const typed = started ? 1 : 0;
      if (joined.length - end < (started ? 5 : 8)) break;
      const view = new DataView(joined.buffer, joined.byteOffset + end + typed);
      const length = view.getInt32(0);
      if (joined.length - end < typed + length) break;
      if (!started) started = !ENCRYPTION_REQUESTS.includes(view.getInt32(4));
      end += typed + length;
    }
    pending = joined.slice(end);
    return end > 0 ? forward(joined.subarray(0, end), options) : Promise.resolve();
  };
  return new Proxy(pg, {
    get: (target, key) => {
      if (key === 'execProtocolRawStream') return framed;
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** `pg_dump --schema-only` of some schemas of a PGlite, with the server dump's options. */
export async function dumpPgliteSchemas(url: string, schemas: string[]): Promise<string> {
  const args = ['--schema-only', '--no-owner', '--no-privileges', '--no-tablespaces'];
  for (const s of schemas) args.push('--schema', `"${s.replace(/"/g, '""')}"`);
  const file = await pgDump({ pg: wholeMessages(await instanceOf(url)), args });
  return file.text();
}

interface Edit {
  file: string;
  from: string;
  to: string;
}

/**
 * Edits a fixture needs to load on Postgres 18 (PGlite), beyond load.sh's own for 15. They go to
 * a copy of the fixture (with load.sh and the scaffold), so the published files stay unchanged.
 */
const POSTGRES_18_EDITS: Record<string, Edit[]> = {
  // A function parameter named json: Postgres 18 reads the bare word as the SQL/JSON keyword there.
  postgrest: [{ file: 'test/spec/fixtures/schema.sql', from: '\n  json json default', to: '\n  "json" json default' }],
};

/** The folder to run load.sh from for a fixture: the fixtures' own, or an edited copy. */
function fixturesFor(name: string): { dir: string; done(): void } {
  const edits = POSTGRES_18_EDITS[name];
  if (!edits) return { dir: REAL_SCHEMAS_DIR, done: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), `sm-fixture-${name}-`));
  for (const f of ['load.sh', 'supabase-scaffold.sql', name]) cpSync(join(REAL_SCHEMAS_DIR, f), join(dir, f), { recursive: true });
  for (const e of edits) {
    const text = readFileSync(join(dir, name, e.file), 'utf8');
    if (!text.includes(e.from)) throw new Error(`${name}/${e.file} no longer holds ${JSON.stringify(e.from)}`);
    writeFileSync(join(dir, name, e.file), text.split(e.from).join(e.to));
  }
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs the fixtures' own loader (psql) against a PGlite served over the wire protocol. PGlite
 * ignores the startup options load.sh passes in PGOPTIONS, so the search_path it asks for the
 * Supabase migration sets is set on the (single) session for the load and reset after.
 */
export async function loadRealSchemaIntoPglite(name: string, url: string, searchPath: string | null): Promise<void> {
  const pg = await instanceOf(url);
  const served = await servePglite(url);
  const fixtures = fixturesFor(name);
  if (searchPath) await pg.exec(`set search_path = ${searchPath}`);
  try {
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(join(fixtures.dir, 'load.sh'), [name, served.url]);
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c));
      child.on('error', reject);
      child.on('exit', (c) => resolve({ code: c, stderr: err }));
    });
    if (code !== 0) throw new Error(`load.sh ${name} into PGlite failed: ${stderr.slice(-3000)}`);
  } finally {
    fixtures.done();
    await served.stop();
    await pg.exec('reset search_path');
  }
}
