import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refreshSnapshot } from '../../src/commands/introspect';
import { planProject } from '../../src/commands/plan';
import { applyProject, bootstrapTarget } from '../../src/commands/target';
import { withDb } from '../../src/db';
import { runCli } from '../helpers/cli';
import { BASE_SQL, writeSpec } from './fixture';

/** The commands as a person runs them, on embedded databases kept in folders. */
describe('evolution and drift from the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sm-evolve-cli-'));
  const urls = { source: `pglite://${join(dir, 'source-db')}`, target: `pglite://${join(dir, 'target-db')}` };
  const cli = (...args: string[]) => runCli(['--spec', join(dir, 'migration.yaml'), '--source', urls.source, '--target', urls.target, ...args]);

  beforeAll(async () => {
    await withDb(urls.source, (db) => db.exec(BASE_SQL));
    await bootstrapTarget(urls.target);
    const spec = writeSpec(dir, '', urls);
    await refreshSnapshot(spec);
    planProject(spec);
    expect((await applyProject(spec)).error).toBeNull();
    await withDb(urls.target, (db) => db.exec('alter table public.posts alter column title drop not null;'));
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

  it('apply --dry-run prints the evolution SQL; the files alone do not show it', async () => {
    await withDb(urls.source, (db) => db.exec('alter table public.posts add column summary text;'));
    const spec = writeSpec(dir, '', urls);
    await refreshSnapshot(spec);
    planProject(spec);
    const dry = cli('apply', '--dry-run', '--allow-drift');
    expect(dry.stderr).toBe('');
    expect(dry.stdout).toContain('alter table public.posts: add column summary');
    expect(dry.stdout).toContain('alter table "public"."posts" add column "summary" text;');
    expect(dry.code).toBe(0);
    const columns = await withDb(urls.target, (db) => db.query(`select 1 from information_schema.columns where table_name = 'posts' and column_name = 'summary'`));
    expect(columns.rows).toEqual([]);
    // The dry run left the recorded fingerprint alone: the hand-made change is still drift.
    expect(cli('status', '--drift').code).toBe(1);
  });
});
