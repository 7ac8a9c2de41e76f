import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeNamedPglite } from '../../src/db';
import { BIN, runCli } from '../helpers/cli';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { gitProject, type GitProject } from '../render/diff-fixture';

const SEED = `create table customers (id int primary key, email text);
  insert into customers select g, 'c' || g || '@example.com' from generate_series(1, 50) g;
  create table orders (id int primary key, customer_id int references customers, total numeric);
  insert into orders select g, 1 + g % 50, g from generate_series(1, 200) g;
  analyze;`;

/** Every URL variable unset, as in a pull request from a fork. */
const NO_URLS = { SOURCE_DATABASE_URL: undefined, SUPABASE_DB_URL: undefined, SUPABASE_URL: undefined, SUPABASE_SERVICE_ROLE_KEY: undefined };

const SPEC = (source: string) =>
  `version: 1\nname: shop\nsource:\n  url: ${source}\ntarget:\n  url: \${SUPABASE_DB_URL}\n  service_role_key: \${SUPABASE_SERVICE_ROLE_KEY}\n`;

/** The files a plan wrote, read back (git's own folder aside). */
function treeText(dir: string): string {
  const walk = (d: string): string[] =>
    readdirSync(d).filter((n) => n !== '.git').flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [readFileSync(join(d, n), 'utf8')]));
  return walk(dir).join('\n');
}

/** A TCP listener standing in for a database: it only counts who knocks. */
async function listener(): Promise<{ server: Server; port: number; knocks: () => number }> {
  let knocks = 0;
  const server = createServer((socket) => {
    knocks++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, knocks: () => knocks };
}

let project: GitProject;
let source: { url: string; drop: () => Promise<void> };

beforeAll(async () => {
  const server = process.env.TEST_DATABASE_URL ? await freshDatabase('server', 'reposrc') : null;
  source = server ?? { url: `pglite://${mkdtempSync(join(tmpdir(), 'sm-repo-src-'))}`, drop: async () => undefined };
  project = await gitProject(SEED, { source: source.url });
  // The CLI runs in other processes: the embedded source must be closed here first.
  await closeNamedPglite();
}, 120_000);
afterAll(async () => {
  await closeNamedPglite();
  await source.drop();
});

describe('a plan needs nothing but the repository', () => {
  it('plan, plan --check, plan --diff, analyze and status --offline run with no URL variable and connect to nothing', async () => {
    const db = await listener();
    try {
      // The source named literally points at the listener: any connection attempt would knock.
      writeFileSync(join(project.dir, 'migration.yaml'), SPEC(`postgresql://u:pw@127.0.0.1:${db.port}/app`));
      const env = { ...NO_URLS, ENABLE_VECTOR_MIGRATION: 'false' };
      const plan = runCli(['plan'], { cwd: project.dir, env });
      expect(plan.stderr).toContain('warning: ENABLE_VECTOR_MIGRATION is not read');
      expect(plan.code).toBe(0);
      await project.commit('plan');
      for (const args of [['plan', '--check'], ['plan', '--diff', 'main'], ['analyze'], ['status', '--offline'], ['status', '--offline', '--steps']]) {
        const r = runCli(args, { cwd: project.dir, env });
        expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: expect.not.stringContaining('error') });
      }
      const offline = runCli(['status', '--offline'], { cwd: project.dir, env: NO_URLS });
      expect(offline.stdout).toMatch(/^pre-data\s+\d+$/m);
      expect(offline.stdout).toContain('the plan matches its lock');
      // A command that connects names itself and the variable it lacks.
      const status = runCli(['status'], { cwd: project.dir, env: NO_URLS });
      expect(status.code).toBe(2);
      expect(status.stderr).toContain('`status` connects to the target database: migration.yaml:6:8 target.url reads ${SUPABASE_DB_URL}, which is not set');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(db.knocks()).toBe(0);
    } finally {
      db.server.close();
    }
  });
});

describe('connection settings stay out of files and logs, and the CLI habits hold', () => {
  let target: FreshDatabase | { url: string; drop: () => Promise<void> };
  let secretUrl: string;
  const KEY = 'sk_leak_probe_6f1c2b';
  const env = () => ({ ...NO_URLS, SUPABASE_DB_URL: secretUrl, SUPABASE_SERVICE_ROLE_KEY: KEY });

  beforeAll(async () => {
    writeFileSync(join(project.dir, 'migration.yaml'), SPEC(source.url));
    expect(runCli(['plan'], { cwd: project.dir, env: NO_URLS }).code).toBe(0);
    await project.commit('plan with URL variables');
    if (process.env.TEST_DATABASE_URL) {
      target = await freshDatabase('server', 'repotgt');
      const withPassword = new URL(target.url);
      withPassword.password = 'S3cretLeakProbe';
      secretUrl = withPassword.toString();
    } else {
      target = { url: `pglite://${mkdtempSync(join(tmpdir(), 'sm-repo-tgt-'))}`, drop: async () => undefined };
      secretUrl = target.url;
    }
  }, 120_000);
  afterAll(() => target.drop());

  it('bootstrap honours SUPABASE_DB_URL; a dry run leaves no gap in checkpoint numbers; status sums up per phase', () => {
    const outputs: string[] = [];
    const run = (args: string[]) => {
      const r = runCli(args, { cwd: project.dir, env: env() });
      outputs.push(r.stdout, r.stderr);
      return r;
    };
    expect(run(['bootstrap']).stdout).toMatch(/^created: /);
    expect(run(['apply', '--dry-run']).code).toBe(0);
    expect(run(['apply']).code).toBe(0);
    const summary = run(['status']);
    expect(summary.code).toBe(0);
    expect(summary.stdout).toMatch(/^phase\s+applied\s+pending\s+changed$/m);
    expect(summary.stdout).toMatch(/^data\s+\d+\s+0\s+0$/m);
    expect(summary.stdout).not.toContain('table:public.customers');
    const steps = run(['status', '--steps']).stdout.split('\n').filter((l) => /^\d+\s+applied\s+\S+\s+\S+:/.test(l));
    expect(steps.length).toBeGreaterThan(3);
    // Numbered from 1 after the dry run, without a jump (parallel steps may finish out of plan order).
    expect(steps.map((l) => Number(l.split(/\s+/)[0])).sort((a, b) => a - b)).toEqual(steps.map((_l, i) => i + 1));
    run(['plan', '--diff', 'HEAD~1']);
    const password = new URL(secretUrl.replace(/^pglite/, 'http')).password;
    for (const secret of [KEY, ...(password ? [password] : [])]) {
      expect(outputs.join('\n')).not.toContain(secret);
      expect(treeText(project.dir)).not.toContain(secret);
    }
  }, 300_000);

  it('apply stops after the step in flight on SIGINT, says how to resume, exits 130; the next apply finishes', async () => {
    const fresh = process.env.TEST_DATABASE_URL ? await freshDatabase('server', 'reposig') : null;
    const url = fresh?.url ?? `pglite://${mkdtempSync(join(tmpdir(), 'sm-repo-sig-'))}`;
    try {
      const run = { cwd: project.dir, env: { ...env(), SUPABASE_DB_URL: url } };
      expect(runCli(['bootstrap'], run).code).toBe(0);
      const interrupted = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'apply'], { cwd: run.cwd, env: { ...process.env, ...run.env, SOURCE_DATABASE_URL: '' } });
        let stdout = '';
        let stderr = '';
        let sent = false;
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk;
          if (!sent && /executed/.test(stdout)) {
            sent = true;
            child.kill('SIGINT');
          }
        });
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
        child.on('exit', (code) => resolve({ code, stdout, stderr }));
      });
      expect(interrupted.stderr).toContain('SIGINT: finishing the step in flight');
      expect(interrupted.stderr).toContain('resume with `supamigrate apply`');
      expect(interrupted.code).toBe(130);
      const resumed = runCli(['apply'], run);
      expect(resumed.code).toBe(0);
      expect(runCli(['status'], run).stdout).toMatch(/\d+ applied, 0 pending, 0 changed/);
    } finally {
      await fresh?.drop();
    }
  }, 300_000);
});

describe('--help', () => {
  it.each(['init', 'introspect', 'analyze', 'plan', 'bootstrap', 'apply', 'status', 'rollback', 'validate', 'demo'])('%s --help shows the global --spec, --source and --target', (command) => {
    const r = runCli([command, '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--spec <path>', '--source <url>', '--target <url>']) expect(r.stdout).toContain(flag);
  });
});
