import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeNamedPglite, withDb } from '../../src/db';
import { BIN, runCli } from '../helpers/cli';
import { freshDatabase } from '../helpers/databases';
import { ROOT } from '../helpers/sources';

/**
 * The README as a new user reads it: the command table names flags each command takes, and the
 * shell blocks of "Use it on your database" and "Review on pull requests" work when pasted,
 * `npx supamigrate` included, in a fresh git repository.
 */
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The first ```sh block after `marker`, one command a line. */
function shBlock(marker: string): string[] {
  const at = README.indexOf(marker);
  if (at < 0) throw new Error(`README has no ${JSON.stringify(marker)}`);
  const m = /```sh\n([\s\S]*?)```/.exec(README.slice(at));
  if (!m) throw new Error(`no sh block after ${JSON.stringify(marker)}`);
  return m[1].split('\n').filter((l) => l.trim() !== '');
}

/** The first cells of the command table (`| \`plan [--check]\` | ... |`), and the commands in each. */
function commandRows(): { cell: string; commands: string[] }[] {
  const table = README.slice(README.indexOf('### Commands'), README.indexOf('Global flags:'));
  return table
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => {
      const cell = l.slice(2, l.indexOf(' | '));
      return { cell, commands: [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]) };
    });
}

describe("the README's command table", () => {
  const rows = commandRows();

  it('has one row per command form, and lists validate once', () => {
    expect(rows.length).toBeGreaterThan(10);
    expect(new Set(rows.map((r) => r.cell)).size).toBe(rows.length);
    expect(rows.filter((r) => r.commands.some((c) => c.split(' ')[0] === 'validate'))).toHaveLength(1);
  });

  it("names only flags that each command's --help shows", () => {
    const commands = rows.flatMap((r) => r.commands);
    expect(commands.length).toBeGreaterThan(12);
    for (const command of commands) {
      const name = command.split(' ')[0];
      const help = runCli([name, '--help']);
      expect({ command, code: help.code }).toEqual({ command, code: 0 });
      for (const flag of command.match(/--[a-z-]+/g) ?? [])
        expect({ command, flag, shown: help.stdout.includes(flag) }).toEqual({ command, flag, shown: true });
    }
  });

  it('names the global flags that --help shows', () => {
    const line = README.slice(README.indexOf('Global flags:'), README.indexOf('Exit codes:'));
    const flags = line.match(/--[a-z-]+/g) ?? [];
    expect(flags).toEqual(['--spec', '--source', '--target', '--debug']);
    const help = runCli(['--help']).stdout;
    for (const flag of flags) expect(help).toContain(flag);
  });
});

const SEED = `create table customers (id int primary key, email text not null);
  insert into customers select g, 'c' || g || '@example.com' from generate_series(1, 40) g;
  create table orders (id int primary key, customer_id int not null references customers, total numeric);
  insert into orders select g, 1 + g % 40, g from generate_series(1, 120) g;
  analyze;`;

describe("the README's commands, pasted", () => {
  let source: { url: string; drop: () => Promise<void> };
  let target: { url: string; ownerUrl: string; drop: () => Promise<void> };
  const dir = mkdtempSync(join(tmpdir(), 'sm-readme-'));
  const origin = mkdtempSync(join(tmpdir(), 'sm-readme-origin-'));

  beforeAll(async () => {
    if (process.env.TEST_DATABASE_URL) {
      source = await freshDatabase('server', 'readmesrc');
      target = await freshDatabase('server', 'readmetgt');
    } else {
      const url = (name: string) => `pglite://${mkdtempSync(join(tmpdir(), `sm-readme-${name}-`))}`;
      source = { url: url('src'), drop: async () => undefined };
      const t = url('tgt');
      target = { url: t, ownerUrl: t, drop: async () => undefined };
    }
    await withDb(source.url, (db) => db.exec(SEED));
    // The CLI runs in other processes: an embedded source must be closed here first.
    await closeNamedPglite();
    const git = (cwd: string, ...args: string[]) => spawnSync('git', args, { cwd, encoding: 'utf8' });
    git(origin, 'init', '-q', '--bare', '-b', 'main');
    git(dir, 'init', '-q', '-b', 'main');
    for (const [k, v] of [['user.email', 'readme@example.com'], ['user.name', 'readme'], ['commit.gpgsign', 'false']])
      git(dir, 'config', k, v);
    git(dir, 'remote', 'add', 'origin', origin);
    // As if installed in the project (`npm i -D supamigrate`): npx finds it without the registry.
    mkdirSync(join(dir, 'node_modules/.bin'), { recursive: true });
    symlinkSync(BIN, join(dir, 'node_modules/.bin/supamigrate'));
  }, 120_000);
  afterAll(async () => {
    await closeNamedPglite();
    await source.drop();
    await target.drop();
  });

  /** Runs one pasted line with bash in the project; the README's placeholders filled in. */
  const paste = (line: string, env: NodeJS.ProcessEnv = {}) => {
    const filled = line
      .replace('postgresql://postgres@127.0.0.1:5432/scratch', target.url)
      .replace('<checkpoint>', '1');
    const r = spawnSync('bash', ['-c', filled], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 300_000,
      env: {
        ...process.env,
        SOURCE_DATABASE_URL: source.url,
        SUPABASE_DB_URL: target.ownerUrl,
        npm_config_update_notifier: 'false',
        ...env,
      },
    });
    return { line, code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const ok = (r: ReturnType<typeof paste>) => expect({ line: r.line, code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ line: r.line, code: 0, stderr: '' });

  it('bootstrap, then init, analyze, plan, commit, apply --dry-run, apply, status, validate, rollback', () => {
    const bootstrap = shBlock('For local work, any empty Postgres');
    expect(bootstrap).toEqual([expect.stringMatching(/^npx supamigrate bootstrap --target /)]);
    // Without a flag or a spec, bootstrap takes SUPABASE_DB_URL (as the README's table says).
    const bare = mkdtempSync(join(tmpdir(), 'sm-readme-bare-'));
    const byVariable = runCli(['bootstrap'], { cwd: bare, env: { SUPABASE_DB_URL: target.url } });
    expect([byVariable.code, byVariable.stderr]).toEqual([0, '']);
    expect(byVariable.stdout).toMatch(/^created: /);
    const pasted = paste(bootstrap[0]);
    ok(pasted);
    expect(pasted.stdout).toContain('already Supabase-shaped: nothing created');
    const lines = shBlock('## Use it on your database');
    expect(lines.map((l) => l.split(/\s+/).slice(0, 3).join(' '))).toEqual([
      'npx supamigrate init',
      'npx supamigrate analyze',
      'npx supamigrate plan',
      'git add migration.yaml',
      'npx supamigrate apply',
      'npx supamigrate apply',
      'npx supamigrate status',
      'npx supamigrate validate',
      'npx supamigrate rollback',
    ]);
    const runs = lines.map((l) => {
      const r = paste(l);
      ok(r);
      return r;
    });
    expect(readFileSync(join(dir, 'migration.yaml'), 'utf8')).toContain('${SOURCE_DATABASE_URL}');
    expect(runs[6].stdout).toMatch(/^data\s+\d+\s+0\s+0$/m);
    expect(runs[8].stdout).toMatch(/undone|rolled back/i);
  }, 900_000);

  it('the review commands of "Review on pull requests" against origin/main', () => {
    ok(paste('git push -q origin main && git fetch -q origin'));
    const lines = shBlock('## Review on pull requests');
    expect(lines).toHaveLength(3);
    const [markdown, json, counted] = lines.map((l) => paste(l, { PROD_DATABASE_URL: source.url }));
    for (const r of [markdown, json, counted]) ok(r);
    expect(markdown.stdout).toContain('### supamigrate plan');
    expect(JSON.parse(json.stdout)).toEqual(expect.objectContaining({ ref: 'origin/main' }));
    expect(counted.stdout).toContain('### supamigrate plan');
  }, 300_000);
});
