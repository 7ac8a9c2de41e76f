import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planProject } from '../../../src/commands/plan';
import { UserError } from '../../../src/errors';
import { snapshotToJson } from '../../../src/introspect';
import { parseLock } from '../../../src/render';
import { loadSpec } from '../../../src/spec';
import { column, emptySnapshot, table } from '../../helpers/snapshot';

/**
 * The plan's history in a real git repository, without a database: versions after the project's
 * own migrations, kept by later plans; an evolution numbered from the history; out-of-order
 * migrations and forked histories refused with the fix.
 */
const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@e',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@e',
};
const git = (dir: string, ...args: string[]) =>
  execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sm-history-'));
  git(dir, 'init', '-q', '-b', 'main');
  writeFileSync(join(dir, 'migration.yaml'), 'version: 1\nname: blog\n');
  mkdirSync(join(dir, 'supabase/migrations'), { recursive: true });
  writeFileSync(join(dir, 'supabase/migrations/20240101000000_init.sql'), 'create table public.legacy (id int);\n');
  return dir;
}

function revision(dir: string, extra: string[]): void {
  const columns = [
    column('id', 'integer', { notNull: true }),
    ...extra.map((c, i) => column(c, 'text', { position: i + 2 })),
  ];
  mkdirSync(join(dir, '.supamigrate'), { recursive: true });
  writeFileSync(
    join(dir, '.supamigrate/snapshot.json'),
    snapshotToJson(emptySnapshot({ tables: [table('public', 'posts', columns)] })),
  );
}

const spec = (dir: string) => loadSpec(join(dir, 'migration.yaml'), {});
const migrations = (dir: string) => readdirSync(join(dir, 'supabase/migrations')).sort();
const commit = (dir: string, message: string) => {
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', message);
};

function userError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error('expected a UserError');
}

describe('plan history', () => {
  it("takes versions after the project's own migrations, keeps them, and numbers an evolution after all files", () => {
    const dir = project();
    revision(dir, []);
    planProject(spec(dir));
    expect(migrations(dir)).toEqual([
      '20240101000000_init.sql',
      '20240101000001_blog_pre_data.sql',
      '20240101000004_blog_security.sql',
    ]);
    const lock = parseLock(readFileSync(join(dir, '.supamigrate/plan.lock.json'), 'utf8'));
    expect(lock?.history?.versions['pre-data']).toBe('20240101000001');
    expect(lock?.history?.foreign).toEqual(['20240101000000']);
    commit(dir, 'revision 1');

    // A migration the team adds later, after ours, changes nothing of ours.
    writeFileSync(join(dir, 'supabase/migrations/20250101000000_audit.sql'), 'select 1;\n');
    expect(planProject(spec(dir)).changed).toEqual([]);
    commit(dir, 'audit');

    revision(dir, ['summary']);
    const r = planProject(spec(dir));
    expect(r.evolution).toBe('supabase/migrations/20250101000001_blog_evolve.sql');
    expect(readFileSync(join(dir, r.evolution as string), 'utf8')).toContain(
      'alter table "public"."posts" add column "summary" text;',
    );
    // Planned again (or checked), the evolution keeps its version and bytes.
    expect(planProject(spec(dir)).changed).toEqual([]);
    expect(planProject(spec(dir), { check: true }).changed).toEqual([]);
    commit(dir, 'revision 2');
    expect(planProject(spec(dir), { check: true })).toMatchObject({ changed: [], evolution: null });
  });

  it('refuses a migration added later with a version older than ours, naming the file and a new version', () => {
    const dir = project();
    revision(dir, []);
    planProject(spec(dir));
    commit(dir, 'revision 1');
    writeFileSync(join(dir, 'supabase/migrations/20240101000002_fix.sql'), 'select 1;\n');
    const e = userError(() => planProject(spec(dir), { check: true }));
    expect(e.message).toContain(
      "supabase/migrations/20240101000002_fix.sql: older than supamigrate's migration 20240101000004",
    );
    expect(e.fix).toContain(
      'git mv supabase/migrations/20240101000002_fix.sql supabase/migrations/20240101000005_fix.sql',
    );
  });

  it('catches two branches that both add an evolution, with the fix', () => {
    const dir = project();
    revision(dir, []);
    planProject(spec(dir));
    commit(dir, 'revision 1');
    git(dir, 'checkout', '-q', '-b', 'one');
    revision(dir, ['summary']);
    expect(planProject(spec(dir)).evolution).toMatch(/_blog_evolve\.sql$/);
    commit(dir, 'one adds summary');
    git(dir, 'checkout', '-q', 'main');
    git(dir, 'checkout', '-q', '-b', 'two');
    revision(dir, ['subtitle']);
    expect(planProject(spec(dir)).evolution).toMatch(/_blog_evolve\.sql$/);
    commit(dir, 'two adds subtitle');
    git(dir, 'checkout', '-q', 'main');
    git(dir, 'merge', '-q', '--ff-only', 'one');
    git(dir, 'checkout', '-q', 'two');
    const e = userError(() => planProject(spec(dir), { check: true }));
    expect(e.message).toMatch(/history forked: main has evolution \d+ .* and this branch has \d+ from the same point/);
    expect(e.fix).toContain('git merge main');
  });
});
