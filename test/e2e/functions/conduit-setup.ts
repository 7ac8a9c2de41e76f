import type { ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parse } from 'yaml';
import { refreshSnapshot } from '../../../src/commands/introspect';
import { planProject } from '../../../src/commands/plan';
import { applyProject } from '../../../src/commands/apply';
import { bootstrapTarget } from '../../../src/commands/bootstrap';
import { openDb, type Db } from '../../../src/db';
import { loadSpec } from '../../../src/spec';
import { freshDatabase, type FreshDatabase } from '../../helpers/databases';
import { ROOT } from '../../helpers/sources';
import type { DocSchema } from './conformance';
import { denoCheck, serveFunctions } from './deno';
import { AuthStandIn, signJwt } from './gotrue';
import { startDbPostgrest, type PostgrestLog } from './postgrest-db';

export const CONDUIT = join(ROOT, 'test/fixtures/conduit');
export const REALWORLD = join(ROOT, '../shared/fixtures/realworld/openapi.yml');
export const JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';

/** Progress on stderr with a time, so a slow or stuck step is named in the jest output. */
export function progress(message: string): void {
  process.stderr.write(`[functions e2e ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Runs one setup step, failing with its name when it takes longer than `ms`. */
export async function stepOf<T>(name: string, ms: number, run: () => Promise<T> | T): Promise<T> {
  progress(`${name}...`);
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`step "${name}" took longer than ${ms} ms`)), ms)));
  try {
    const out = await Promise.race([Promise.resolve().then(run), timeout]);
    progress(`${name} done in ${Date.now() - started} ms`);
    return out;
  } finally {
    clearTimeout(timer);
  }
}

/** Copies the hand-ported handlers (test/fixtures/conduit/handlers/<fn>/<op>.ts.txt) over the stubs. */
export function portHandlers(functionsDir: string, fixture: string): Record<string, string> {
  const from = join(fixture, 'handlers');
  const written: Record<string, string> = {};
  for (const fn of existsSync(from) ? readdirSync(from) : []) {
    for (const file of readdirSync(join(from, fn))) {
      const to = fn === '_conduit' ? join(functionsDir, fn, file.replace(/\.txt$/, '')) : join(functionsDir, fn, 'handlers', file.replace(/\.txt$/, ''));
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(join(from, fn, file), to);
      written[to] = readFileSync(to, 'utf8');
    }
  }
  return written;
}

export interface Conduit {
  dir: string;
  functionsDir: string;
  doc: { paths: Record<string, Record<string, { operationId: string; responses: Record<string, { $ref?: string; content?: Record<string, { schema: DocSchema }> }> }>>; components: Record<string, Record<string, unknown>> };
  ported: Record<string, string>;
  replanned: Record<string, string>;
  check: { code: number | null; output: string };
  auth: AuthStandIn;
  db: Db;
  postgrest: { url: string; log: PostgrestLog[]; server: Server };
  deno: { urls: Record<string, string>; child: ChildProcess };
  source: FreshDatabase;
  target: FreshDatabase;
}

/** Conduit's schema in a source database, planned, its handlers ported, applied to a Supabase-shaped target. */
async function planAndApply(source: FreshDatabase, target: FreshDatabase, fixture: Fixture): Promise<Pick<Conduit, 'dir' | 'functionsDir' | 'ported' | 'replanned'>> {
  await stepOf('load the schema into the source', 30_000, () => openDb(source.url).then(async (db) => {
    await db.exec(readFileSync(join(fixture.dir, 'schema.sql'), 'utf8'));
    await db.close();
  }));
  const dir = mkdtempSync(join(tmpdir(), 'sm-conduit-'));
  copyFileSync(join(fixture.dir, 'migration.yaml'), join(dir, 'migration.yaml'));
  copyFileSync(fixture.openapi, join(dir, basename(fixture.openapi) === 'openapi.yml' ? 'openapi.yml' : basename(fixture.openapi)));
  const spec = loadSpec(join(dir, 'migration.yaml'), { SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: target.ownerUrl });
  await stepOf('introspect', 30_000, () => refreshSnapshot(spec));
  await stepOf('plan', 60_000, () => planProject(spec));
  const functionsDir = join(dir, 'supabase/functions');
  const ported = portHandlers(functionsDir, fixture.dir);
  await stepOf('plan again after porting the handlers', 60_000, () => planProject(spec));
  const replanned = Object.fromEntries(Object.keys(ported).map((f) => [f, readFileSync(f, 'utf8')]));
  await stepOf('bootstrap the target', 60_000, () => bootstrapTarget(target.url));
  const applied = await stepOf('apply', 120_000, () => applyProject(spec));
  if (applied.error) throw new Error(`apply failed: ${JSON.stringify(applied.error)}`);
  return { dir, functionsDir, ported, replanned };
}

/** GoTrue writes the user into auth.users of the project's database; the stand-in does the same. */
function writeAuthUsers(auth: AuthStandIn, db: Db): void {
  auth.onSignUp = async (u) => {
    await db.query(
      "insert into auth.users (instance_id, id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at) values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2, $3, $4, now(), now())",
      [u.id, u.email, JSON.stringify(u.appMetadata), JSON.stringify(u.userMetadata)],
    );
  };
}

/** What a run left behind, undone in afterAll even when the setup failed halfway. */
export const cleanup: (() => Promise<unknown> | unknown)[] = [];

/** A legacy application: a folder with schema.sql, migration.yaml (and handlers/), and its OpenAPI document. */
export interface Fixture {
  dir: string;
  openapi: string;
}

export const CONDUIT_FIXTURE: Fixture = { dir: CONDUIT, openapi: REALWORLD };

export async function startConduit(functions: string[], fixture: Fixture = CONDUIT_FIXTURE): Promise<Conduit> {
  // The local server when there is one (PGlite's start is slow on a shared machine), else PGlite.
  const kind = process.env.TEST_DATABASE_URL ? 'server' : 'pglite';
  const source = await stepOf(`fresh ${kind} databases`, 60_000, () => freshDatabase(kind, 'conduit_src'));
  cleanup.push(() => source.drop());
  const target = await freshDatabase(kind, 'conduit_tgt');
  cleanup.push(() => target.drop());
  const planned = await planAndApply(source, target, fixture);
  const doc = parse(readFileSync(fixture.openapi, 'utf8')) as Conduit['doc'];
  const check = await stepOf('deno check every function', 150_000, () => denoCheck(planned.functionsDir, join(planned.functionsDir, functions[0], 'deno.json'), functions.map((f) => `${f}/index.ts`)));
  const db = await openDb(target.url);
  cleanup.unshift(() => db.close());
  const auth = new AuthStandIn(JWT_SECRET, 'http://127.0.0.1/auth/v1');
  writeAuthUsers(auth, db);
  const postgrest = await stepOf('start the PostgREST and Auth stand-ins', 10_000, () => startDbPostgrest(db, JWT_SECRET, auth));
  cleanup.unshift(() => new Promise((resolve) => postgrest.server.close(resolve)));
  const env = {
    SUPABASE_URL: postgrest.url,
    SUPABASE_ANON_KEY: signJwt({ role: 'anon', iss: 'supabase' }, JWT_SECRET),
    SUPABASE_SERVICE_ROLE_KEY: signJwt({ role: 'service_role', iss: 'supabase' }, JWT_SECRET),
  };
  cleanup.unshift(() => rmSync(planned.dir, { recursive: true, force: true }));
  const deno = await stepOf(`serve ${functions.join(', ')} under one Deno process`, 120_000, () => serveFunctions(planned.functionsDir, functions, env));
  cleanup.unshift(() => deno.child.kill());
  return { ...planned, doc, check, auth, db, postgrest, deno, source, target };
}
