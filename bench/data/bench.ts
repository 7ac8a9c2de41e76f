/**
 * Data-phase benchmark: a pgbench-style dataset (accounts at scale BENCH_SCALE, default 30, plus a
 * wide table of BENCH_WIDE rows, default 1,000,000, with text, jsonb, numeric, timestamptz and a
 * secondary index), moved by `supamigrate apply` (the product's own plan: pre-data steps, the
 * checkpointed data load, post-data steps, as the CLI runs them) and by the usual tools, timed
 * in the same run with the tools interleaved round by round. Prints medians, spreads and ratios.
 * Needs TEST_DATABASE_URL (a superuser).
 */
import { execSync, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';

const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const scale = Number(process.env.BENCH_SCALE ?? 30);
const wide = Number(process.env.BENCH_WIDE ?? 1_000_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const only = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : null;
const tag = randomBytes(4).toString('hex');
const root = process.env.SM_ROOT ?? resolve(__dirname, '../..');
const bin = join(root, 'bin/supamigrate.js');
// The built package (npm run build), as the CLI under test uses it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { initProject } = require(join(root, 'dist/commands/init')) as typeof import('../../src/commands/init');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { planProject } = require(join(root, 'dist/commands/plan')) as typeof import('../../src/commands/plan');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { loadSpec } = require(join(root, 'dist/spec')) as typeof import('../../src/spec');

const urlOf = (db: string) => Object.assign(new URL(serverUrl), { pathname: `/${db}` }).toString();
const sh = (cmd: string): void => {
  execSync(cmd, { stdio: ['ignore', 'ignore', 'inherit'], shell: '/bin/bash', env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' } });
};
const admin = (sql: string) => sh(`psql -q -v ON_ERROR_STOP=1 ${JSON.stringify(serverUrl)} -c ${JSON.stringify(sql)}`);
const fresh = (db: string) => {
  admin(`drop database if exists ${db} with (force)`);
  admin(`create database ${db}`);
};

function seed(source: string): void {
  fresh(source);
  sh(`pgbench -q -i -s ${scale} -I dtGp ${JSON.stringify(urlOf(source))}`);
  sh(`psql -q -v ON_ERROR_STOP=1 ${JSON.stringify(urlOf(source))} <<'SQL'
create table wide (id bigint primary key, title text, body text, doc jsonb, amount numeric(14, 4), created_at timestamptz not null);
insert into wide select g, 'title ' || g, repeat(md5(g::text), 4), jsonb_build_object('g', g, 'tags', jsonb_build_array('a', g % 7), 'ok', g % 2 = 0),
  (g * 1.0001)::numeric(14, 4), timestamptz '2020-01-01' + g * interval '13 seconds' from generate_series(1, ${wide}) g;
create index wide_created_at on wide (created_at);
vacuum analyze;
SQL`);
}

async function timed(fn: () => Promise<void> | void): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

interface ApplyRun {
  code: number | null;
  signal: string | null;
  /** Peak resident set of the apply process, from GNU time. */
  rssMb: number;
  /** Seconds per plan phase, from the steps' timings in the JSON result. */
  phases: Record<string, number>;
  chunks: number;
  skipped: number;
}

/**
 * `supamigrate apply --json` as its own process under GNU time (for its peak RSS). Progress
 * events arrive on stderr one JSON object a line; killAtRows kills it once that many rows are in.
 */
function apply(dir: string, source: string, target: string, killAtRows: number | null = null): Promise<ApplyRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'SM_RSS_KB %M', process.execPath, bin, 'apply', '--json', '--spec', join(dir, 'migration.yaml'), '--target', urlOf(target)], {
      env: { ...process.env, SOURCE_DATABASE_URL: urlOf(source), SUPABASE_DB_URL: urlOf(target) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let rest = '';
    let rows = 0;
    let chunks = 0;
    let skipped = 0;
    let rssKb = 0;
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => {
      const lines = (rest + b.toString()).split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        const rss = /^SM_RSS_KB (\d+)/.exec(line);
        if (rss) rssKb = Number(rss[1]);
        if (!line.startsWith('{')) {
          if (!rss && line.trim()) process.stderr.write(`${line}\n`);
          continue;
        }
        const e = JSON.parse(line) as { type: string; rows?: number; skipped?: number };
        if (e.type === 'table-start') skipped += e.skipped ?? 0;
        if (e.type === 'chunk-done') [chunks, rows] = [chunks + 1, rows + (e.rows ?? 0)];
      }
      // The apply process is GNU time's child: kill the whole group so nothing finishes the chunk.
      if (killAtRows !== null && rows >= killAtRows && child.pid) process.kill(-child.pid, 'SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const phases: Record<string, number> = {};
      if (code === 0) {
        const result = JSON.parse(stdout) as { steps: { phase: string; kind: string; ms: number }[] };
        // Data steps of one batch all report the batch's time, give or take their checkpoint
        // writes: count the longest once per kind (table loads, sequence values).
        const data = new Map<string, number>();
        for (const s of result.steps) {
          if (s.phase === 'data') data.set(s.kind, Math.max(data.get(s.kind) ?? 0, s.ms / 1000));
          else phases[s.phase] = (phases[s.phase] ?? 0) + s.ms / 1000;
        }
        phases.data = [...data.values()].reduce((a, b) => a + b, 0);
      } else if (signal !== 'SIGKILL' && killAtRows === null) {
        reject(new Error(`apply exited ${code}: ${stdout.slice(0, 2000)}`));
        return;
      }
      resolvePromise({ code, signal, rssMb: Math.round(rssKb / 1024), phases, chunks, skipped });
    });
  }).then((r) => r as ApplyRun);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const source = `sm_bench_src_${tag}`;
  const target = `sm_bench_tgt_${tag}`;
  const dir = mkdtempSync(join(tmpdir(), 'sm-bench-project-'));
  const workDir = `/tmp/sm_bench_pgcopydb_${tag}`;
  seed(source);
  const env = { SOURCE_DATABASE_URL: urlOf(source), SUPABASE_DB_URL: urlOf(target) };
  await initProject({ source: urlOf(source), dir, name: 'bench' });
  planProject(loadSpec(join(dir, 'migration.yaml'), env));
  const bootstrapped = () => {
    fresh(target);
    sh(`${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} bootstrap --target ${JSON.stringify(urlOf(target))}`);
  };
  const [src, tgt] = [JSON.stringify(urlOf(source)), JSON.stringify(urlOf(target))];
  const rss: number[] = [];
  const pgcopydbRss: number[] = [];
  const phases: Record<string, number[]> = {};
  // Setup (an empty database, and for supamigrate a Supabase-shaped one) is not timed.
  const runners: Record<string, { setup: () => void; run: () => Promise<void> | void }> = {
    supamigrate: {
      setup: bootstrapped,
      run: async () => {
        const r = await apply(dir, source, target);
        rss.push(r.rssMb);
        for (const [p, s] of Object.entries(r.phases)) (phases[p] ??= []).push(s);
      },
    },
    'pg_dump | psql': { setup: () => fresh(target), run: () => sh(`pg_dump ${src} | psql -q -v ON_ERROR_STOP=1 ${tgt}`) },
    'pg_dump -Fc | pg_restore': { setup: () => fresh(target), run: () => sh(`pg_dump -Fc ${src} | pg_restore -d ${tgt}`) },
  };
  if (hasCommand('pgcopydb')) {
    runners['pgcopydb clone'] = {
      // Each round is a new clone: pgcopydb refuses a work folder left by a finished run.
      setup: () => {
        fresh(target);
        rmSync(workDir, { recursive: true, force: true });
      },
      // GNU time gives the largest resident set among pgcopydb's processes, as for supamigrate's one.
      run: () => {
        sh(`/usr/bin/time -o ${workDir}.rss -f %M pgcopydb clone --source ${src} --target ${tgt} --table-jobs 2 --index-jobs 2 --dir ${workDir} --drop-if-exists --no-owner --no-acl`);
        pgcopydbRss.push(Math.round(Number(readFileSync(`${workDir}.rss`, 'utf8').trim().split('\n').pop()) / 1024));
      },
    };
  }
  const names = Object.keys(runners).filter((n) => !only || only.includes(n));
  const times: Record<string, number[]> = {};
  try {
    for (let r = 0; r < rounds; r++) {
      // Interleaved, and the order rotated each round, so a busy moment on a shared machine
      // does not always land on the same tool.
      const order = names.map((_, i) => names[(i + r) % names.length]);
      for (const name of order) {
        runners[name].setup();
        const t = await timed(runners[name].run);
        (times[name] ??= []).push(t);
        process.stderr.write(`round ${r + 1}: ${name} ${t.toFixed(2)} s\n`);
      }
    }
    let resumeLine = 'resume: skipped (supamigrate not in BENCH_ONLY, or BENCH_RESUME=0)';
    if (names.includes('supamigrate') && process.env.BENCH_RESUME !== '0') {
      bootstrapped();
      const full = await timed(async () => void (await apply(dir, source, target)));
      bootstrapped();
      const rows = scale * 100_000 + wide;
      const killed = await apply(dir, source, target, rows / 2);
      let resumed: ApplyRun | null = null;
      const resume = await timed(async () => {
        resumed = await apply(dir, source, target);
      });
      const r = resumed as unknown as ApplyRun;
      resumeLine = `resume after SIGKILL at 50% of rows: ${resume.toFixed(2)} s vs full apply ${full.toFixed(2)} s (${(resume / full).toFixed(2)}); killed after ${killed.chunks} chunks, the resume skipped ${r.skipped} and copied ${r.chunks}`;
    }
    const base = times.supamigrate ? median(times.supamigrate) : NaN;
    const lines = Object.entries(times).map(([name, xs]) => {
      const spread = `${Math.min(...xs).toFixed(2)}..${Math.max(...xs).toFixed(2)}`;
      return `${name.padEnd(26)} ${median(xs).toFixed(2).padStart(7)} s  (${spread})   supamigrate/this ${(base / median(xs)).toFixed(2)}`;
    });
    process.stdout.write(`scale ${scale}, wide ${wide}, medians of ${rounds} interleaved rounds (min..max)\n${lines.join('\n')}\n`);
    const phaseLines = Object.entries(phases).map(([name, xs]) => `  supamigrate ${name}: ${median(xs).toFixed(2)} s`);
    process.stdout.write(`${phaseLines.join('\n')}\n${resumeLine}\n`);
    if (rss.length) process.stdout.write(`peak RSS of the supamigrate apply process: ${Math.max(...rss)} MB (max over rounds)\n`);
    if (pgcopydbRss.length) process.stdout.write(`peak RSS of the largest pgcopydb process: ${Math.max(...pgcopydbRss)} MB (max over rounds)\n`);
    const pairs = (times.supamigrate ?? []).map((t, i) => t / (times['pgcopydb clone']?.[i] ?? NaN)).filter((x) => !Number.isNaN(x));
    if (pairs.length) {
      const spread = `${Math.min(...pairs).toFixed(2)}..${Math.max(...pairs).toFixed(2)}`;
      process.stdout.write(`apply / pgcopydb clone, per round: ${pairs.map((x) => x.toFixed(2)).join(' ')}; median ${median(pairs).toFixed(2)} (${spread})\n`);
    }
  } finally {
    admin(`drop database if exists ${target} with (force)`);
    admin(`drop database if exists ${source} with (force)`);
    rmSync(dir, { recursive: true, force: true });
    rmSync(workDir, { recursive: true, force: true });
  }
}

function hasCommand(name: string): boolean {
  try {
    execSync(`command -v ${name}`, { stdio: 'ignore', shell: '/bin/bash' });
    return true;
  } catch {
    return false;
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
