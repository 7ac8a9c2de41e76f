import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initProject } from '../../src/commands/init';
import { planProject } from '../../src/commands/plan';
import { applyProject } from '../../src/commands/apply';
import { bootstrapTarget } from '../../src/commands/bootstrap';
import { loadSpec } from '../../src/spec';
import { describeEach, freshDatabase, type FreshDatabase, withDb } from '../helpers/databases';
import { compareDumps, dumpSchemas, normaliseDump } from '../helpers/schema-dump';
import { ROOT } from '../helpers/sources';
import { catalogCounts, SKIPPED } from '../helpers/every-kind';
import { dbPush } from '../helpers/supabase-cli';

/**
 * test/fixtures/every-kind.sql: one object of every kind of issue 13 item 2, chained across
 * kinds, and one of each kind Supabase cannot hold (item 3). init writes the skip entries,
 * plan leaves those out and counts them, apply and `supabase db push` give pg_dump's schema
 * back, and every object of the source's catalog is either planned or reported.
 *
 * Apply runs as the admin here: on Supabase, supautils lets `postgres` create event triggers
 * and servers of postgres_fdw; plain PostgreSQL 15 lets only a superuser do so.
 */
const SQL = readFileSync(join(ROOT, 'test/fixtures/every-kind.sql'), 'utf8');
const server = process.env.TEST_DATABASE_URL;

const KIND_OF_STEP: Record<string, string> = {
  function: 'routine', aggregate: 'routine', procedure: 'routine', statistics: 'statistics', rule: 'rule', cast: 'cast',
  operator: 'operator', server: 'server', 'foreign-table': 'foreign table', publication: 'publication', 'event-trigger': 'event trigger',
};


describeEach(server ? ['server'] : [], 'every object kind round-trips on the %s, or is skipped on purpose', () => {
  let source: FreshDatabase;
  let dir: string;
  const targets: FreshDatabase[] = [];
  const spec = (target: string) => loadSpec(join(dir, 'migration.yaml'), { SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: target });
  const dumpOf = (url: string) => normaliseDump(dumpSchemas(url, ['kinds']), { skipped: SKIPPED });

  beforeAll(async () => {
    source = await freshDatabase('server', 'kinds_src');
    await withDb(source.url, (db) => db.exec(SQL));
    dir = mkdtempSync(join(tmpdir(), 'sm-kinds-'));
    await initProject({ source: source.url, dir, name: 'kinds' });
  });
  afterAll(async () => {
    for (const t of targets) await t.drop();
    await source?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('counts every catalog object as planned or skipped, per kind', () => {
    const plan = planProject(spec('pglite://memory/unused'));
    expect(plan.skipped.map((s) => s.object)).toEqual(readFileSync(join(dir, 'migration.yaml'), 'utf8')
      .split('\n').filter((l) => l.startsWith('    - "') && /^ {4}- "(function|operator|foreign|server|user|publication|base|aggregate|cast)/.test(l))
      .map((l) => JSON.parse(l.slice(6)) as string));
    return catalogCounts(source.url).then((catalog) => {
      const accounted: Record<string, number> = Object.fromEntries(Object.keys(catalog).map((k) => [k, 0]));
      for (const s of plan.plan.steps) if (KIND_OF_STEP[s.kind]) accounted[KIND_OF_STEP[s.kind]] += 1;
      for (const s of plan.skipped) {
        const kind = Object.keys(catalog).sort((a, b) => b.length - a.length).find((k) => s.object.startsWith(`${k} `));
        const routine = /^(function|aggregate|procedure|window function) /.test(s.object);
        accounted[routine ? 'routine' : kind ?? s.object] = (accounted[routine ? 'routine' : kind ?? s.object] ?? 0) + 1;
      }
      expect(accounted).toEqual(catalog);
    });
  });

  it('apply gives the source schema back, less what is skipped', async () => {
    const target = await freshDatabase('server', 'kinds_tgt');
    targets.push(target);
    await bootstrapTarget(target.url);
    await withDb(target.url, (db) => db.exec('create extension if not exists postgres_fdw with schema extensions'));
    const applied = await applyProject(spec(target.url));
    expect(applied.error).toBeNull();
    expect(compareDumps(dumpOf(source.url), dumpOf(target.url))).toEqual({ onlySource: [], onlyTarget: [] });
    const [from, to] = [await catalogCounts(source.url), await catalogCounts(target.url)];
    expect(to).toEqual({ ...from, routine: from.routine - 2, 'operator family': 0, 'foreign data wrapper': 0, server: 1, 'user mapping': 0, publication: 1 });
  });

  it('`supabase db push` of the same files gives the same schema', async () => {
    const target = await freshDatabase('server', 'kinds_push');
    targets.push(target);
    await bootstrapTarget(target.url);
    await withDb(target.url, (db) => db.exec('create extension if not exists postgres_fdw with schema extensions'));
    const r = dbPush(target.url, dir);
    expect(r.stderr + r.stdout).toContain('Finished supabase db push');
    expect(compareDumps(dumpOf(source.url), dumpOf(target.url))).toEqual({ onlySource: [], onlyTarget: [] });
  });
});

if (!server) {
  it('needs TEST_DATABASE_URL: pg_dump and supabase db push talk to a server', () => {
    expect(server).toBeUndefined();
  });
}
