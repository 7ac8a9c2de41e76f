import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initProject } from '../../src/commands/init';
import { planProject } from '../../src/commands/plan';
import { applyProject } from '../../src/commands/apply';
import { bootstrapTarget } from '../../src/commands/bootstrap';
import { loadSpec } from '../../src/spec';
import { freshDatabase, type FreshDatabase, withDb } from '../helpers/databases';
import { compareDumps, normaliseDump } from '../helpers/schema-dump';
import { ROOT } from '../helpers/sources';
import { catalogCounts, SKIPPED } from '../helpers/every-kind';
import { dumpPgliteSchemas } from '../helpers/pglite-dump';
import { dbPushIntoPglite } from '../helpers/supabase-cli';

/**
 * every-kind.e2e.test.ts's round trip with PGlite on both sides: test/fixtures/every-kind.sql
 * into a PGlite source, init, plan, bootstrap of a PGlite target, apply; pg_dump (pglite-tools'
 * pg_dump 18) of the fixture's schema must compare equal, less what is skipped on purpose, and
 * the catalog counts per kind must match. PGlite 0.5 ships no postgres_fdw: the fixture's
 * statements that need it (its server, foreign table and user mapping) are left out here.
 * `supabase db push` of the same files, over PGlite's wire protocol, gives the same dump.
 */
const NEEDS_POSTGRES_FDW = /postgres_fdw|kinds_remote|remote_item/;
const SQL = readFileSync(join(ROOT, 'test/fixtures/every-kind.sql'), 'utf8');
const ON_PGLITE = SQL.split('\n').filter((l) => !NEEDS_POSTGRES_FDW.test(l)).join('\n');

it('PGlite ships no postgres_fdw, which is all the PGlite round trip leaves out of the fixture', () => {
  expect(existsSync(join(ROOT, 'node_modules/@electric-sql/pglite/dist/postgres_fdw.tar.gz'))).toBe(false);
  expect(existsSync(join(ROOT, 'node_modules/@electric-sql/pglite/dist/lo.tar.gz'))).toBe(true);
  const left = SQL.split('\n').filter((l) => NEEDS_POSTGRES_FDW.test(l));
  expect(left.filter((l) => /^create /.test(l)).map((l) => l.split(' ').slice(0, 3).join(' '))).toEqual([
    'create extension if', 'create server kinds_remote', 'create foreign table', 'create user mapping',
  ]);
});

describe('every object kind round-trips on PGlite, or is skipped on purpose', () => {
  let source: FreshDatabase;
  const targets: FreshDatabase[] = [];
  let dir: string;
  const spec = (url: string) => loadSpec(join(dir, 'migration.yaml'), { SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: url });
  const dumpOf = async (url: string) => normaliseDump(await dumpPgliteSchemas(url, ['kinds']), { skipped: SKIPPED });

  beforeAll(async () => {
    source = await freshDatabase('pglite', 'kinds_src');
    await withDb(source.url, (db) => db.exec(ON_PGLITE));
    dir = mkdtempSync(join(tmpdir(), 'sm-kinds-pglite-'));
    await initProject({ source: source.url, dir, name: 'kinds' });
  });
  afterAll(async () => {
    for (const t of targets) await t.drop();
    await source?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('apply gives the source schema back, less what is skipped', async () => {
    expect(planProject(spec('pglite://memory/unused')).skipped.length).toBeGreaterThan(0);
    const target = await freshDatabase('pglite', 'kinds_tgt');
    targets.push(target);
    await bootstrapTarget(target.url);
    const applied = await applyProject(spec(target.url));
    expect(applied.error).toBeNull();
    const sourceDump = await dumpOf(source.url);
    expect(sourceDump.length).toBeGreaterThan(20);
    expect(compareDumps(sourceDump, await dumpOf(target.url))).toEqual({ onlySource: [], onlyTarget: [] });
    const [from, to] = [await catalogCounts(source.url), await catalogCounts(target.url)];
    // Objects pg_dump --schema leaves out: the catalog counts are their check.
    expect(from).toMatchObject({ 'event trigger': 1, publication: 2, 'foreign data wrapper': 1, server: 1, cast: 1 });
    expect(to).toEqual({ ...from, routine: from.routine - 2, 'operator family': 0, 'foreign data wrapper': 0, server: 0, publication: 1 });
  });

  it('`supabase db push` of the same files into a PGlite target gives the same schema', async () => {
    const target = await freshDatabase('pglite', 'kinds_push');
    targets.push(target);
    await bootstrapTarget(target.url);
    expect(await dbPushIntoPglite(target.url, dir)).toContain('Finished supabase db push');
    expect(compareDumps(await dumpOf(source.url), await dumpOf(target.url))).toEqual({ onlySource: [], onlyTarget: [] });
  });
});
