'use strict';
/**
 * Schema benchmark (issue 2): introspect + plan + render by supamigrate against
 * `pg_dump --schema-only`, on one generated database of 500+ tables, in the same run, rounds
 * interleaved (the order alternates each round so neither side always runs on a warmer cache).
 * Run after `npm run build`:   node bench/schema/run.js [--tables 600] [--views 60] [--rounds 5]
 *   [--queries] [--keep]
 * Env: BENCH_DATABASE_URL (a superuser on a server; default the local one), BENCH_TABLES,
 * BENCH_VIEWS, BENCH_ROUNDS. `--queries` adds one untimed pass that times every catalog query
 * introspection sends, to show where its time goes.
 */
const { spawn, spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { readFileSync, rmSync, writeFileSync, mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const lib = require('../../dist/index.js');
const { generateSchema } = require('./generate');

function option(name, envName, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  if (at > 0 && process.argv[at + 1]) return Number(process.argv[at + 1]);
  return Number(process.env[envName] ?? fallback);
}

const settings = {
  url: process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
  tables: option('tables', 'BENCH_TABLES', 600),
  views: option('views', 'BENCH_VIEWS', 60),
  rounds: option('rounds', 'BENCH_ROUNDS', 5),
  queries: process.argv.includes('--queries'),
  keep: process.argv.includes('--keep'),
};
const database = `sm_bench_schema_${randomBytes(4).toString('hex')}`;
const urlOf = (db) => Object.assign(new URL(settings.url), { pathname: `/${db}` }).toString();
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

function psql(url, args) {
  const r = spawnSync('psql', ['-q', '-X', '-v', 'ON_ERROR_STOP=1', '-d', url, ...args], {
    encoding: 'utf8',
    env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' },
  });
  if (r.status !== 0) throw new Error(`psql ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

/** A Spec as the loader would return it (the shape test/helpers/spec.ts builds), no file behind it. */
function benchSpec() {
  return {
    version: 1,
    name: 'bench',
    file: '/nonexistent/migration.yaml',
    dir: '/nonexistent',
    source: { url: null },
    target: { url: null, supabaseUrl: null, anonKey: null, serviceRoleKey: null },
    schema: {
      includeSchemas: null, excludeSchemas: [], includeTables: null, excludeTables: [], renameSchemas: {},
      typeMappings: { serialToIdentity: false, jsonToJsonb: false },
    },
    output: { supabaseDir: 'supabase', stateDir: '.supamigrate' },
    options: { timeoutSeconds: 3600, enableVectorMigration: true, enableRealtime: false },
    data: { enabled: true, batchSize: 1000, chunkRows: 1000, parallel: 2, checkpointInterval: 1, mode: 'auto', tables: {} },
    security: {}, vectors: {}, functions: {}, storage: {}, types: {}, realtime: { tables: [] },
  };
}

const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;

/** One supamigrate pass: connect, introspect, plan, render, close, with the time of each part. */
async function supamigrateOnce(url, spec) {
  const t0 = process.hrtime.bigint();
  const db = await lib.openDb(url);
  const t1 = process.hrtime.bigint();
  let snapshot;
  let t2;
  try {
    snapshot = await lib.introspect(db);
  } finally {
    t2 = process.hrtime.bigint();
    await db.close();
  }
  const t3 = process.hrtime.bigint();
  const plan = lib.buildPlan(spec, snapshot);
  const files = lib.renderPlan(plan, { supabaseDir: spec.output.supabaseDir, stateDir: spec.output.stateDir, name: spec.name });
  const t4 = process.hrtime.bigint();
  const ns = (a, b) => Number(b - a) / 1e9;
  return {
    times: { connect: ns(t0, t1) + ns(t2, t3), introspect: ns(t1, t2), planRender: ns(t3, t4), total: ns(t0, t4) },
    snapshot, plan, files,
  };
}

function pgDumpOnce(url, out = '/dev/null') {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn('pg_dump', ['--schema-only', '-d', url, '-f', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(seconds(start)) : reject(new Error(`pg_dump exited ${code}: ${err}`))));
  });
}

/** Wraps a Db so that every query sent inside introspect's transaction is timed by its first line. */
function timingDb(db, log) {
  const timed = (inner) => ({
    ...inner,
    kind: inner.kind,
    async query(sql, params) {
      const start = process.hrtime.bigint();
      try {
        return await inner.query(sql, params);
      } finally {
        log.push({ sql: sql.replace(/\s+/g, ' ').trim().slice(0, 110), seconds: seconds(start) });
      }
    },
    transaction: (fn) => inner.transaction((tx) => fn(timed(tx))),
    close: () => inner.close(),
  });
  return timed(db);
}

async function queryProfile(url) {
  const log = [];
  const db = await lib.openDb(url);
  try {
    await lib.introspect(timingDb(db, log));
  } finally {
    await db.close();
  }
  return log.sort((a, b) => b.seconds - a.seconds);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => `${(x * 1000).toFixed(0)} ms`.padStart(9);
const row = (label, xs) => `${label.padEnd(34)}${ms(median(xs))}${ms(Math.min(...xs))}${ms(Math.max(...xs))}`;

function createDatabase(sqlText) {
  psql(settings.url, ['-c', `create database ${database}`]);
  const dir = mkdtempSync(join(tmpdir(), 'sm-bench-schema-'));
  try {
    writeFileSync(join(dir, 'schema.sql'), sqlText);
    psql(urlOf(database), ['-1', '-f', join(dir, 'schema.sql')]);
    psql(urlOf(database), ['-c', 'analyze']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(url) {
  const spec = benchSpec();
  const times = { connect: [], introspect: [], planRender: [], total: [], pgDump: [] };
  // One untimed pass each: the server's catalog caches and Node's JIT start warm for both sides.
  const warm = await supamigrateOnce(url, spec);
  await pgDumpOnce(url);
  for (let r = 0; r < settings.rounds; r += 1) {
    const sides = [
      async () => { const { times: t } = await supamigrateOnce(url, spec); for (const k of Object.keys(t)) times[k].push(t[k]); },
      async () => { times.pgDump.push(await pgDumpOnce(url)); },
    ];
    if (r % 2 === 1) sides.reverse();
    for (const side of sides) await side();
  }
  return { times, warm };
}

function dumpBytes(url) {
  const r = spawnSync('pg_dump', ['--schema-only', '-d', url], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return Buffer.byteLength(r.stdout);
}

function report({ times, warm }, sqlText, url, loadStart, loadEnd) {
  const s = warm.snapshot;
  const bytes = warm.files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
  const lines = [
    `schema benchmark: database ${database}, ${settings.rounds} rounds (interleaved, after one warm-up each)`,
    `source: ${s.tables.length} tables, ${s.views.length} views, ${s.enums.length} enums, ${s.functions.length} functions, ${s.triggers.length} triggers, ${s.sequences.length} sequences in ${s.schemas.length} schemas`,
    `        ${s.tables.reduce((n, t) => n + (t.indexes?.length ?? 0), 0)} indexes, ${s.tables.reduce((n, t) => n + (t.constraints?.length ?? 0), 0)} constraints; generated SQL ${Buffer.byteLength(sqlText)} bytes`,
    `plan:   ${warm.plan.steps.length} steps, ${warm.files.length} files, ${bytes} bytes rendered; pg_dump --schema-only: ${dumpBytes(url)} bytes`,
    '',
    `${''.padEnd(34)}${'median'.padStart(9)}${'min'.padStart(9)}${'max'.padStart(9)}`,
    row('supamigrate total', times.total),
    row('  connect + close', times.connect),
    row('  introspect', times.introspect),
    row('  buildPlan + renderPlan', times.planRender),
    row('pg_dump --schema-only', times.pgDump),
    '',
    `ratio supamigrate / pg_dump (median): ${(median(times.total) / median(times.pgDump)).toFixed(2)}`,
    `ratio introspect / pg_dump (median):  ${(median(times.introspect) / median(times.pgDump)).toFixed(2)}`,
    `load average (1/5/15 min): start ${loadStart}, end ${loadEnd}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function printProfile(log) {
  const total = log.reduce((n, q) => n + q.seconds, 0);
  process.stdout.write(`\nintrospection queries, slowest first (one untimed pass, ${log.length} queries, ${ms(total).trim()} in queries):\n`);
  for (const q of log.slice(0, 12)) process.stdout.write(`${ms(q.seconds)}  ${q.sql}\n`);
}

async function main() {
  const loadStart = loadavg();
  const sqlText = generateSchema({ tables: settings.tables, views: settings.views });
  createDatabase(sqlText);
  try {
    const url = urlOf(database);
    const result = await measure(url);
    report(result, sqlText, url, loadStart, loadavg());
    if (settings.queries) printProfile(await queryProfile(url));
  } finally {
    if (settings.keep) process.stdout.write(`kept database ${database}\n`);
    else psql(settings.url, ['-c', `drop database if exists ${database} with (force)`]);
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
