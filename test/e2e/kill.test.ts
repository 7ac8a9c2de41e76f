import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initProject } from '../../src/commands/init';
import { planProject } from '../../src/commands/plan';
import { applyProject } from '../../src/commands/apply';
import { bootstrapTarget } from '../../src/commands/bootstrap';
import { withDb, type Db } from '../../src/db';
import { withAdvisoryLock } from '../../src/execute';
import { introspect, snapshotToJson } from '../../src/introspect';
import { loadSpec } from '../../src/spec';
import { validateProject } from '../../src/commands/validate';
import { startCli } from '../helpers/cli';
import { describeEach, freshDatabase, type FreshDatabase } from '../helpers/databases';
import { loadSource } from '../helpers/sources';
import { keepEmbeddingArrays } from '../helpers/spec';

/**
 * SIGKILL the apply process at many points; each re-run must resume and the end state must equal
 * an uninterrupted apply. Needs the server: two processes cannot share an embedded database.
 */
const server = process.env.TEST_DATABASE_URL;
const kinds = server ? ['server'] : [];
// Kill points: after the Nth committed step, or after the Nth table finished loading (mid data phase).
const KILL_POINTS: [string, RegExp, number][] = [
  ['step', /^\[\s*\d+\/\d+\] executed/, 1],
  ['step', /^\[\s*\d+\/\d+\] executed/, 30],
  ['step', /^\[\s*\d+\/\d+\] executed/, 62],
  ['table load', /^\s+loaded /, 3],
  ['table load', /^\s+loaded /, 17],
  ['table load', /^\s+loaded /, 33],
  ['step', /^\[\s*\d+\/\d+\] executed/, 110],
  ['step', /^\[\s*\d+\/\d+\] executed/, 160],
  ['step', /^\[\s*\d+\/\d+\] executed/, 231],
];

describeEach(kinds, 'apply killed with SIGKILL on %s', (kind) => {
  let source: FreshDatabase;
  let reference: FreshDatabase;
  let dir: string;
  const env = () => ({ SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: '' });
  const spec = () => loadSpec(join(dir, 'migration.yaml'), { ...env(), SUPABASE_DB_URL: reference.url });
  // Sizes and row estimates depend on how the load went (a resumed load leaves dead tuples);
  // rows are compared by the data checksums instead.
  const catalog = (url: string) =>
    withDb(url, async (db) => {
      const s = await introspect(db);
      return snapshotToJson({ ...s, tables: s.tables.map((t) => ({ ...t, sizeBytes: 0, estimatedRows: 0 })) });
    });

  beforeAll(async () => {
    source = await freshDatabase(kind as 'server', 'killsrc');
    reference = await freshDatabase(kind as 'server', 'killref');
    await loadSource(source.url, 'toolboxai');
    dir = mkdtempSync(join(tmpdir(), 'sm-kill-'));
    await initProject({ source: source.url, dir, name: 'toolboxai' });
    keepEmbeddingArrays(join(dir, 'migration.yaml'));
    planProject(spec());
    await bootstrapTarget(reference.url);
    expect((await applyProject(spec(), { target: reference.url })).ok).toBe(true);
  });
  afterAll(async () => {
    await source.drop();
    await reference.drop();
  });

  it.each(KILL_POINTS)('killed after a %s line (%s #%i), the re-run completes and equals the uninterrupted result', async (_what, pattern, after) => {
    const target = await freshDatabase(kind as 'server', 'kill');
    try {
      await bootstrapTarget(target.url);
      let seen = 0;
      const killed = await startCli(['apply', '--target', target.url], {
        cwd: dir,
        env: env(),
        onLine: (line, kill) => {
          if (pattern.test(line) && ++seen === after) kill();
        },
      });
      expect(killed.signal).toBe('SIGKILL');
      const checkpoints = await withDb(target.url, async (db: Db) => Number((await db.query<{ n: string }>('select count(*) as n from supamigrate.checkpoints')).rows[0].n));
      if (_what === 'step') {
        // Every step whose line was printed committed first; a few more may commit before the
        // signal lands (steps take milliseconds), but the run must not have finished.
        expect(checkpoints).toBeGreaterThanOrEqual(after);
      }
      const resumed = await startCli(['apply', '--target', target.url, '--json'], { cwd: dir, env: env() });
      expect(resumed.code).toBe(0);
      const r = JSON.parse(resumed.stdout);
      expect(r.skipped).toBe(checkpoints);
      expect(checkpoints).toBeLessThan(r.steps.length);
      expect(r.executed + r.skipped).toBe(r.steps.length);
      expect(await catalog(target.url)).toEqual(await catalog(reference.url));
      const parity = await validateProject(spec(), { target: target.url, data: true });
      expect(parity.data?.tables.filter((t) => !t.ok)).toEqual([]);
    } finally {
      await target.drop();
    }
  });

  it('a second apply while one holds the lock fails at once and says so', async () => {
    const target = await freshDatabase(kind as 'server', 'lockcli');
    try {
      await bootstrapTarget(target.url);
      await withDb(target.url, (db) =>
        withAdvisoryLock(db, async () => {
          const r = await startCli(['apply', '--target', target.url], { cwd: dir, env: env() });
          expect(r.code).toBe(1);
          expect(r.stderr + r.stdout).toMatch(/another supamigrate run holds the lock on this target/);
        }),
      );
    } finally {
      await target.drop();
    }
  });
});

if (!server) {
  it('needs TEST_DATABASE_URL for the kill tests (two processes cannot share PGlite)', () => {
    expect(server).toBeUndefined();
  });
}
