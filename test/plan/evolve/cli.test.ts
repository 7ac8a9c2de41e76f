import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refreshSnapshot } from '../../../src/commands/introspect';
import { planProject } from '../../../src/commands/plan';
import { applyProject } from '../../../src/commands/apply';
import { bootstrapTarget } from '../../../src/commands/bootstrap';
import { withDb } from '../../../src/db';
import { runCli } from '../../helpers/cli';
import { describeEach, freshDatabase, type FreshDatabase, TARGETS } from '../../helpers/databases';
import { BASE_SQL, writeSpec } from './fixture';

/**
 * The commands as a person runs them. Each CLI run is its own process, so the databases must
 * outlive it: a server (an embedded database in a folder starts too slowly for several runs;
 * evolution.test.ts covers the same behaviour on PGlite through the library).
 */
describeEach(TARGETS.filter((t) => t === 'server'), 'evolution and drift from the command line on %s', (kind) => {
  let source: FreshDatabase;
  let target: FreshDatabase;
  const dir = mkdtempSync(join(tmpdir(), 'sm-evolve-cli-'));
  const urls = () => ({ source: source.url, target: target.ownerUrl });
  const cli = (...args: string[]) => runCli(['--spec', join(dir, 'migration.yaml'), '--source', source.url, '--target', target.ownerUrl, ...args]);

  beforeAll(async () => {
    source = await freshDatabase(kind, 'evclisrc');
    target = await freshDatabase(kind, 'evclitgt');
    await withDb(source.url, (db) => db.exec(BASE_SQL));
    await bootstrapTarget(target.url);
    const spec = writeSpec(dir, '', urls());
    await refreshSnapshot(spec);
    planProject(spec);
    expect((await applyProject(spec)).error).toBeNull();
    await withDb(target.url, (db) => db.exec('alter table public.posts alter column title drop not null;'));
  });
  afterAll(async () => {
    await source.drop();
    await target.drop();
  });

  it('status --drift names the changed object and exits 1; apply refuses with exit 2', () => {
    const status = cli('status', '--drift');
    expect(status.stdout).toContain('drift: 1 object(s) changed outside supamigrate since the last apply:');
    expect(status.stdout).toContain('~ column public.posts.title (changed)');
    expect(status.code).toBe(1);
    const apply = cli('apply');
    expect(apply.code).toBe(2);
    expect(apply.stderr).toContain('~ column public.posts.title (changed)');
    expect(apply.stderr).toContain('--allow-drift');
  });

  it('status and apply --dry-run print the evolution SQL, which no generated file shows', async () => {
    await withDb(source.url, (db) => db.exec('alter table public.posts add column summary text;'));
    const spec = writeSpec(dir, '', urls());
    await refreshSnapshot(spec);
    planProject(spec);
    const status = cli('status');
    expect(status.stdout).toMatch(/evolution [0-9a-f]{12}: apply will move the applied target to this plan in one transaction:/);
    expect(status.stdout).toContain('alter table "public"."posts" add column "summary" text;');
    const dry = cli('apply', '--dry-run', '--allow-drift');
    expect(dry.stderr).toBe('');
    expect(dry.stdout).toContain('alter table public.posts: add column summary');
    expect(dry.stdout).toContain('alter table "public"."posts" add column "summary" text;');
    expect(dry.code).toBe(0);
    const columns = await withDb(target.url, (db) => db.query(`select 1 from information_schema.columns where table_name = 'posts' and column_name = 'summary'`));
    expect(columns.rows).toEqual([]);
    // The dry run left the recorded fingerprint alone: the hand-made change is still drift.
    expect(cli('status', '--drift').code).toBe(1);
  });
});
