/**
 * Data-phase benchmark: a pgbench-style dataset (accounts at scale BENCH_SCALE, default 30, plus a
 * wide table of BENCH_WIDE rows, default 1,000,000, with text, jsonb, numeric, timestamptz and a
 * secondary index), moved by supamigrate (pre-data, copyTables, post-data) and by the usual
 * tools, timed in the same run. Prints medians and ratios. Needs TEST_DATABASE_URL (a superuser).
 */
import { execSync, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import { openDb } from '../../src/db';
import { copyTables, type DataEvent } from '../../src/execute/data';
import { introspect } from '../../src/introspect';
import { planData } from '../../src/plan/data';

const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const scale = Number(process.env.BENCH_SCALE ?? 30);
const wide = Number(process.env.BENCH_WIDE ?? 1_000_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const batchSize = Number(process.env.BENCH_BATCH ?? 100_000);
const tag = randomBytes(4).toString('hex');

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

const phases: Record<string, number[]> = {};

/** Schema before data (pg_dump's pre-data stands in for the schema plan), the data, then indexes and keys. */
async function supamigrate(source: string, target: string): Promise<void> {
  fresh(target);
  const [src, tgt] = [JSON.stringify(urlOf(source)), JSON.stringify(urlOf(target))];
  const phase = async (name: string, fn: () => Promise<void> | void) => (phases[name] ??= []).push(await timed(fn));
  await phase('pre-data', () => sh(`pg_dump --section=pre-data ${src} | psql -q -v ON_ERROR_STOP=1 ${tgt}`));
  await phase('data', async () => {
    const db = await openDb(urlOf(source));
    const tables = planData(await introspect(db), { tables: {}, schemaRename: {} });
    await db.close();
    const result = await copyTables({ connectSource: () => openDb(urlOf(source)), connectTarget: () => openDb(urlOf(target)), tables, batchSize, parallel: 2 });
    if (!result.ok) throw new Error(`copy failed: ${JSON.stringify(result.tables.filter((t) => t.status !== 'completed'))}`);
  });
  await phase('post-data', () => sh(`pg_dump --section=post-data ${src} | psql -q -v ON_ERROR_STOP=1 ${tgt}`));
}

async function copyAll(source: string, target: string, onEvent?: (e: DataEvent) => void): Promise<void> {
  const db = await openDb(urlOf(source));
  const tables = planData(await introspect(db), { tables: {}, schemaRename: {} });
  await db.close();
  const result = await copyTables({ connectSource: () => openDb(urlOf(source)), connectTarget: () => openDb(urlOf(target)), tables, batchSize, parallel: 2, onEvent });
  if (!result.ok) throw new Error(`copy failed: ${JSON.stringify(result.tables.filter((t) => t.status !== 'completed'))}`);
}

/** This script again, as a process of its own that only copies, so it can be killed. */
function copyInChild(source: string, target: string, killAtRows: number | null): Promise<{ done: number; skipped: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [__filename, 'copy-child', source, target], { stdio: ['ignore', 'pipe', 'inherit'] });
    let rows = 0;
    let done = 0;
    let skipped = 0;
    let rest = '';
    child.stdout.on('data', (b: Buffer) => {
      const lines = (rest + b.toString()).split('\n');
      rest = lines.pop()!;
      for (const e of lines.map((l) => JSON.parse(l) as DataEvent)) {
        if (e.type === 'table-start') skipped += e.skipped;
        if (e.type === 'chunk-done') [done, rows] = [done + 1, rows + e.rows];
      }
      if (killAtRows !== null && rows >= killAtRows) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => (code === 0 || signal === 'SIGKILL' ? resolve({ done, skipped }) : reject(new Error(`copy child exited ${code}`))));
  });
}

/** Data phase alone: a full run, then a run killed once half the rows are in, and its resume. */
async function resumeCost(source: string, target: string): Promise<{ full: number; resume: number; note: string }> {
  const preData = () => {
    fresh(target);
    sh(`pg_dump --section=pre-data ${JSON.stringify(urlOf(source))} | psql -q -v ON_ERROR_STOP=1 ${JSON.stringify(urlOf(target))}`);
  };
  const db = await openDb(urlOf(source));
  const rows = planData(await introspect(db), { tables: {}, schemaRename: {} }).reduce((n, t) => n + t.estimatedRows, 0);
  await db.close();
  preData();
  const full = await timed(async () => void (await copyInChild(source, target, null)));
  preData();
  const killed = await copyInChild(source, target, rows / 2);
  let resumed = { done: 0, skipped: 0 };
  const resume = await timed(async () => {
    resumed = await copyInChild(source, target, null);
  });
  return { full, resume, note: `killed after ${killed.done} chunks; the resume skipped ${resumed.skipped} and copied ${resumed.done}` };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const source = `sm_bench_src_${tag}`;
  const target = `sm_bench_tgt_${tag}`;
  seed(source);
  const [src, tgt] = [JSON.stringify(urlOf(source)), JSON.stringify(urlOf(target))];
  const runners: Record<string, () => Promise<void> | void> = {
    supamigrate: () => supamigrate(source, target),
    'pg_dump | psql': () => { fresh(target); sh(`pg_dump ${src} | psql -q -v ON_ERROR_STOP=1 ${tgt}`); },
    'pg_dump -Fc | pg_restore': () => { fresh(target); sh(`pg_dump -Fc ${src} | pg_restore -d ${tgt}`); },
  };
  if (hasCommand('pgcopydb')) {
    runners['pgcopydb clone'] = () => {
      fresh(target);
      // Each round is a new clone: pgcopydb refuses a work folder left by a finished run.
      sh(`rm -rf /tmp/sm_bench_pgcopydb_${tag} && pgcopydb clone --source ${src} --target ${tgt} --table-jobs 2 --index-jobs 2 --dir /tmp/sm_bench_pgcopydb_${tag} --drop-if-exists --no-owner --no-acl`);
    };
  }
  const times: Record<string, number[]> = {};
  for (let r = 0; r < rounds; r++) {
    for (const [name, run] of Object.entries(runners)) (times[name] ??= []).push(await timed(run));
  }
  const { full, resume, note } = await resumeCost(source, target);
  try {
    const base = median(times.supamigrate);
    const lines = Object.entries(times).map(([name, xs]) => `${name.padEnd(26)} ${median(xs).toFixed(2).padStart(7)} s   supamigrate/this ${(base / median(xs)).toFixed(2)}`);
    process.stdout.write(`scale ${scale}, wide ${wide}, batch ${batchSize}, medians of ${rounds}\n${lines.join('\n')}\n`);
    const phaseLines = Object.entries(phases).map(([name, xs]) => `  supamigrate ${name}: ${median(xs).toFixed(2)} s`);
    process.stdout.write(`${phaseLines.join('\n')}\n`);
    process.stdout.write(`resume after SIGKILL at 50% of rows: ${resume.toFixed(2)} s vs full data phase ${full.toFixed(2)} s (${(resume / full).toFixed(2)}); ${note}\n`);
    process.stdout.write(`peak RSS of this process: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB\n`);
  } finally {
    admin(`drop database if exists ${target} with (force)`);
    admin(`drop database if exists ${source} with (force)`);
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

const entry = process.argv[2] === 'copy-child'
  ? copyAll(process.argv[3], process.argv[4], (e) => process.stdout.write(`${JSON.stringify(e)}\n`))
  : main();
entry.catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
