import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '../../src/action/run';
import type { Output } from '../../src/render/output';
import { bootstrapTarget } from '../../src/commands/bootstrap';
import { closeNamedPglite } from '../../src/db';
import { freshDatabase, itEach, TARGETS, withDb } from '../helpers/databases';
import { runCli } from '../helpers/cli';
import { ROOT } from '../helpers/sources';
import { copyProject, gitProject, type GitProject } from '../render/diff-fixture';
import { startFakeGitHub, type FakeGitHub } from './github-api';

const REPO = 'acme/shop';
const TOKEN = 'ghs_test_token';
const SEED = `create table customers (id int primary key, email text);
  insert into customers select g, 'c' || g from generate_series(1, 20) g;
  create table orders (id int primary key, customer_id int references customers);
  insert into orders select g, g from generate_series(1, 20) g;
  analyze;`;

function captured(): Output & { text: () => string } {
  const lines: string[] = [];
  return { line: (t = '') => lines.push(t), error: (t) => lines.push(t), json: (v) => lines.push(JSON.stringify(v)), text: () => lines.join('\n') };
}

/** The runner's environment for one step: event payload, output and summary files, API URL. */
function runnerEnv(p: GitProject, api: FakeGitHub, event: Record<string, unknown>, eventName: string, extra: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'sm-runner-'));
  const files = { event: join(dir, 'event.json'), output: join(dir, 'output'), summary: join(dir, 'summary.md') };
  writeFileSync(files.event, JSON.stringify(event));
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  const env: NodeJS.ProcessEnv = {
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_API_URL: api.url,
    GITHUB_REPOSITORY: REPO,
    GITHUB_REF_NAME: 'main',
    INPUT_COMMAND: 'auto',
    INPUT_SPEC: 'migration.yaml',
    INPUT_WORKING_DIRECTORY: p.dir,
    INPUT_GITHUB_TOKEN: TOKEN,
    ...extra,
  };
  const outputs = () => Object.fromEntries(readFileSync(files.output, 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split(/=(.*)/s).slice(0, 2)));
  return { env, outputs, summary: () => readFileSync(files.summary, 'utf8') };
}

const pullRequest = (number: number, baseSha: string) => ({
  action: 'synchronize',
  number,
  pull_request: { number, base: { ref: 'main', sha: baseSha }, head: { ref: 'feature' } },
  repository: { full_name: REPO, default_branch: 'main' },
});

afterAll(() => closeNamedPglite());

describe('the GitHub Action on a pull request', () => {
  let api: FakeGitHub;
  // Planned once; tests that do not change the source work on copies of it in their own repositories.
  let planned: GitProject;
  beforeAll(async () => (planned = await gitProject(SEED)));
  beforeEach(async () => (api = await startFakeGitHub(REPO, TOKEN)));
  afterEach(() => api.close());

  it('posts one comment per spec, then updates the same comment on the next push', async () => {
    const p = await gitProject(SEED);
    const base = await p.commit('first plan');
    await p.git.checkoutLocalBranch('feature');
    await p.change('drop table orders; analyze;');
    await p.commit('drop orders');
    const first = runnerEnv(p, api, pullRequest(7, base), 'pull_request');
    const out = captured();
    expect(await runAction(first.env, out)).toBe(0);
    expect(api.comments).toHaveLength(1);
    const [comment] = api.comments;
    expect(comment.issue).toBe(7);
    expect(comment.body.startsWith('<!-- supamigrate:migration.yaml -->\n### supamigrate plan')).toBe(true);
    expect(comment.body).toContain('**SM-D001** `public.orders`');
    expect(first.outputs()).toEqual({ 'has-changes': 'true', destructive: 'true', 'report-path': '', 'plan-hash': createHash('sha256').update(readFileSync(join(p.dir, '.supamigrate/plan.lock.json'), 'utf8')).digest('hex') });
    expect(comment.body).toContain(`Plan hash \`${first.outputs()['plan-hash'].slice(0, 16)}\``);
    expect(first.summary()).toContain('**SM-D001** `public.orders`');
    expect(first.summary()).not.toContain('<!-- supamigrate');
    // The branch's evolution file (what a target already at the base runs) is in the comment, whole.
    const evolution = readdirSync(join(p.dir, 'supabase/migrations')).filter((f) => f.endsWith('_evolve.sql'));
    expect(evolution).toHaveLength(1);
    const evolutionSql = readFileSync(join(p.dir, 'supabase/migrations', evolution[0]), 'utf8');
    expect(evolutionSql).toMatch(/drop table[^;]*orders/i);
    expect(comment.body).toContain(`#### Evolution file \`supabase/migrations/${evolution[0]}\``);
    expect(comment.body).toContain(`\`\`\`sql\n${evolutionSql}`);
    // The token the runner was given is in no comment, summary or output.
    for (const text of [comment.body, first.summary(), JSON.stringify(first.outputs()), out.text()]) expect(text).not.toContain(TOKEN);

    await p.change('create table notes (id int primary key); analyze;');
    await p.commit('add notes');
    const second = runnerEnv(p, api, pullRequest(7, base), 'pull_request');
    expect(await runAction(second.env, captured())).toBe(0);
    expect(api.comments).toHaveLength(1);
    expect(api.comments[0].id).toBe(comment.id);
    expect(api.comments[0].body).toContain('table:public.notes');
    // Re-planned with the second change: the same file (its version is kept), now creating notes too.
    const evolved = readFileSync(join(p.dir, 'supabase/migrations', evolution[0]), 'utf8');
    expect(evolved).not.toBe(evolutionSql);
    expect(evolved).toMatch(/create table[^;]*notes/i);
    expect(api.comments[0].body).toContain(`\`\`\`sql\n${evolved}`);
    expect(api.requests.filter((r) => r.startsWith('PATCH'))).toEqual([`PATCH /repos/${REPO}/issues/comments/${comment.id}`]);
  });

  it('says what went wrong in the comment when the base ref is unknown, and exits 2', async () => {
    const p = await copyProject(planned);
    await p.commit('first plan');
    const run = runnerEnv(p, api, pullRequest(8, 'f'.repeat(40)), 'pull_request');
    expect(await runAction(run.env, captured())).toBe(2);
    expect(api.comments).toHaveLength(1);
    expect(api.comments[0].body).toMatch(/could not be planned[\s\S]*unknown git ref `f{40}`[\s\S]*\*\*Fix:\*\*.*fetch-depth: 0/);
    expect(run.outputs()['has-changes']).toBe('false');
  });

  it('fails the check (exit 2) when the branch commits generated files that differ from its spec', async () => {
    const p = await copyProject(planned);
    const base = await p.commit('first plan');
    writeFileSync(join(p.dir, 'supabase/types/database.types.ts'), '// edited by hand\n');
    await p.commit('edit a generated file');
    const run = runnerEnv(p, api, pullRequest(9, base), 'pull_request');
    expect(await runAction(run.env, captured())).toBe(2);
    expect(api.comments[0].body).toContain('- `supabase/types/database.types.ts`');
  });

  it('a token GitHub refuses makes the run fail (exit 1) with the API message', async () => {
    const p = await copyProject(planned);
    const base = await p.commit('first plan');
    const run = runnerEnv(p, api, pullRequest(10, base), 'pull_request', { INPUT_GITHUB_TOKEN: 'wrong' });
    const out = captured();
    expect(await runAction(run.env, out)).toBe(1);
    expect(out.text()).toContain('401 Bad credentials');
    expect(run.summary()).toContain('### supamigrate plan');
  });
});

/** Runs the built entry point as the composite action does, without blocking this process's server. */
function runEntryPoint(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist/action/main.js')], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the GitHub Action plans a pull request without secrets', () => {
  it('runs the plan job with no URL variable set, though the spec reads them, and comments the plan', async () => {
    const api = await startFakeGitHub(REPO, TOKEN);
    try {
      const p = await gitProject(SEED);
      // The spec names its URLs by variables without defaults, as a real project's does.
      writeFileSync(join(p.dir, 'migration.yaml'), readFileSync(join(p.dir, 'migration.yaml'), 'utf8').replace(/url: .*$/gm, (l) => (l.includes('SUPABASE_DB_URL') ? 'url: ${SUPABASE_DB_URL}' : 'url: ${SOURCE_DATABASE_URL}')));
      const noUrls = { SUPABASE_DB_URL: undefined, SOURCE_DATABASE_URL: undefined };
      expect(runCli(['plan'], { cwd: p.dir, env: noUrls }).code).toBe(0);
      const base = await p.commit('plan');
      await p.git.checkoutLocalBranch('feature');
      writeFileSync(join(p.dir, 'migration.yaml'), `${readFileSync(join(p.dir, 'migration.yaml'), 'utf8')}data:\n  tables:\n    public.orders: { skip: true }\n`);
      expect(runCli(['plan'], { cwd: p.dir, env: noUrls }).code).toBe(0);
      await p.commit('skip orders');
      const run = runnerEnv(p, api, pullRequest(11, base), 'pull_request');
      // The child gets PATH, HOME and the runner's variables only: no database URL at all.
      const r = await runEntryPoint(run.env);
      expect(Object.keys(run.env).filter((k) => /URL|KEY/.test(k) && k !== 'GITHUB_API_URL')).toEqual([]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(api.comments).toHaveLength(1);
      expect(api.comments[0].body).toContain('### supamigrate plan');
      expect(run.outputs()['has-changes']).toBe('true');
    } finally {
      await api.close();
    }
  });
});

const PASSWORD = 'S3cretActionProbe';
const withPassword = (url: string, password: string) => {
  const u = new URL(url);
  u.password = password;
  return u.toString();
};

describe('the GitHub Action on a push to the default branch', () => {
  itEach(TARGETS, 'applies the reviewed plan, and refuses a plan file edited by hand (%s)', async (kind) => {
    const api = await startFakeGitHub(REPO, TOKEN);
    const source = `pglite://${mkdtempSync(join(tmpdir(), 'sm-action-src-'))}`;
    const server = kind === 'server' ? await freshDatabase('server', 'action') : null;
    // A server URL carries a password (the local server trusts it): it must reach no output.
    const target = server ? withPassword(server.url, PASSWORD) : `pglite://${mkdtempSync(join(tmpdir(), 'sm-action-tgt-'))}`;
    try {
      const p = await gitProject(SEED, { source });
      await p.commit('plan');
      await bootstrapTarget(target);
      const push = { ref: 'refs/heads/main', before: '0'.repeat(40), repository: { full_name: REPO, default_branch: 'main' } };
      // A hash that is not the reviewed plan's stops the apply before it connects.
      const unreviewed = runnerEnv(p, api, push, 'push', { SUPABASE_DB_URL: target, INPUT_EXPECTED_PLAN_HASH: 'a'.repeat(64) });
      const stopped = await runEntryPoint(unreviewed.env);
      expect(stopped.code).toBe(2);
      expect(unreviewed.summary()).toMatch(/is not the reviewed plan \(aaaaaaaaaaaaaaaa\); nothing was applied/);
      const lockHash = createHash('sha256').update(readFileSync(join(p.dir, '.supamigrate/plan.lock.json'), 'utf8')).digest('hex');
      // The merged pull request (#7) holds the commit: its comment gets the link to the run.
      const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: p.dir, encoding: 'utf8' }).trim();
      api.pulls[sha] = [7];
      const runVars = { GITHUB_SHA: sha, GITHUB_SERVER_URL: 'https://github.example', GITHUB_RUN_ID: '42' };
      const run = runnerEnv(p, api, push, 'push', { SUPABASE_DB_URL: target, INPUT_EXPECTED_PLAN_HASH: lockHash, ...runVars });
      const applied = await runEntryPoint(run.env);
      expect(applied.stderr).toBe('');
      expect(applied.code).toBe(0);
      expect(applied.stdout).toContain('supamigrate apply: migration.yaml');
      expect(run.outputs()['has-changes']).toBe('true');
      expect(run.outputs()['plan-hash']).toMatch(/^[0-9a-f]{64}$/);
      expect(run.summary()).toContain('succeeded');
      // The apply names the plan it ran with the hash the pull-request comment showed.
      expect(run.summary()).toContain(`Plan hash \`${run.outputs()['plan-hash'].slice(0, 16)}\``);
      // validate ran after the apply and wrote the report the Action's next step attaches.
      expect(run.summary()).toContain('Validation after apply passed');
      expect(readFileSync(run.outputs()['report-path'], 'utf8')).toContain('<html');
      const rows = await withDb(target, (db) => db.query<{ n: string }>('select count(*)::text as n from public.orders'));
      expect(rows.rows[0].n).toBe('20');
      expect(api.requests).toEqual([`GET /repos/${REPO}/commits/${sha}/pulls`, `GET /repos/${REPO}/issues/7/comments`, `POST /repos/${REPO}/issues/7/comments`]);
      expect(api.comments.map((c) => c.body)).toEqual([
        `<!-- supamigrate:migration.yaml -->\n<!-- supamigrate:applied -->\nApplied at \`${sha.slice(0, 7)}\`: validation passed; [the report is attached to the run](https://github.example/${REPO}/actions/runs/42#artifacts).`,
      ]);
      for (const text of [applied.stdout, applied.stderr, run.summary(), JSON.stringify(run.outputs()), stopped.stdout, stopped.stderr, unreviewed.summary()]) {
        expect(text).not.toContain(target);
        if (server) expect(text).not.toContain(PASSWORD);
      }

      writeFileSync(join(p.dir, 'supabase/types/database.types.ts'), '// edited by hand\n');
      const again = runnerEnv(p, api, push, 'push', { SUPABASE_DB_URL: target });
      const refused = await runEntryPoint(again.env);
      expect(refused.code).toBe(2);
      expect(again.summary()).toMatch(/could not be applied[\s\S]*supabase\/types\/database\.types\.ts: edited[\s\S]*run `supamigrate plan` and commit/);
    } finally {
      await api.close();
      await server?.drop();
    }
  });
});
