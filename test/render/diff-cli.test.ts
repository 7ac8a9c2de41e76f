import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { closeNamedPglite } from '../../src/db';
import { runCli } from '../helpers/cli';
import { gitProject } from './diff-fixture';

afterAll(() => closeNamedPglite());

const SEED = 'create table customers (id int primary key, email text); analyze;';

/** The CLI around plan --diff and the plan lock: exit codes and messages a person can act on. */
describe('plan --diff and the plan lock from the command line', () => {
  it('prints Markdown or JSON, and names an unknown ref or a repository without commits (exit 2)', async () => {
    const p = await gitProject(SEED);
    const empty = runCli(['plan', '--diff', 'main'], { cwd: p.dir });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/has no commits yet[\s\S]*fix: commit migration\.yaml/);
    await p.commit('plan');
    const md = runCli(['plan', '--diff', 'main'], { cwd: p.dir });
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('**No changes to the plan.** No findings.');
    const json = runCli(['plan', '--diff', 'HEAD', '--format', 'json'], { cwd: p.dir });
    expect(JSON.parse(json.stdout)).toMatchObject({ ref: 'HEAD', hasChanges: false, destructive: false, findings: [] });
    const unknown = runCli(['plan', '--diff', 'origin/nope'], { cwd: p.dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown git ref `origin/nope`');
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
  });

  it('shows the evolution file the branch adds, whole, in Markdown and in JSON', async () => {
    const p = await gitProject(SEED);
    await p.commit('plan');
    await p.change('alter table customers add column name text; analyze;');
    const files = readdirSync(join(p.dir, 'supabase/migrations')).filter((f) => f.endsWith('_evolve.sql'));
    expect(files).toHaveLength(1);
    const path = `supabase/migrations/${files[0]}`;
    const sql = readFileSync(join(p.dir, path), 'utf8');
    expect(sql).toContain('alter table "public"."customers" add column "name" text;');
    const md = runCli(['plan', '--diff', 'main'], { cwd: p.dir });
    expect(md.code).toBe(0);
    expect(md.stdout).toContain(`#### Evolution file \`${path}\``);
    expect(md.stdout).toContain(`\`\`\`sql\n${sql}\`\`\``);
    const json = runCli(['plan', '--diff', 'main', '--format', 'json'], { cwd: p.dir });
    expect(JSON.parse(json.stdout)).toMatchObject({ evolution: { path, sql, rewrites: [] } });
  });

  it('plan writes a deterministic lock; apply refuses a generated file edited by hand or a spec changed since (exit 2)', async () => {
    const p = await gitProject(SEED);
    const lock = join(p.dir, '.supamigrate/plan.lock.json');
    const before = readFileSync(lock, 'utf8');
    expect(runCli(['plan'], { cwd: p.dir }).stdout).toContain('nothing changed');
    expect(readFileSync(lock, 'utf8')).toBe(before);
    const parsed = JSON.parse(before) as { files: { path: string }[]; spec: { path: string } };
    expect(parsed.spec.path).toBe('migration.yaml');
    expect(parsed.files.map((f) => f.path)).toContain('supabase/types/database.types.ts');

    writeFileSync(join(p.dir, 'supabase/types/database.types.ts'), '// edited by hand\n');
    const edited = runCli(['apply', '--target', 'pglite://memory'], { cwd: p.dir });
    expect(edited.code).toBe(2);
    expect(edited.stderr).toMatch(/does not match its lock[\s\S]*supabase\/types\/database\.types\.ts: edited[\s\S]*fix: run `supamigrate plan` and commit/);

    runCli(['plan'], { cwd: p.dir });
    p.writeSpec('options:\n  batch_size: 10\n');
    const stale = runCli(['apply', '--target', 'pglite://memory'], { cwd: p.dir });
    expect(stale.code).toBe(2);
    expect(stale.stderr).toContain('migration.yaml: changed since the plan');
  });
});
