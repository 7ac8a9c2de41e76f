'use strict';
/**
 * Duration estimate against the measured apply (issue 13, item 5): for each fixture with rows,
 * `analyze` gives its estimate from the committed snapshot, then `apply` is timed on a freshly
 * bootstrapped target on the same server. Prints measured / estimated; the goal is within 2x
 * either way. Fixtures: Chinook, the demo's example (toolboxai schema and seed) and pgbench at
 * --scale (default 10: 1 M accounts).
 * Run after `npm run build`:   node bench/estimate/run.js [--scale 10] [--only chinook,example,pgbench]
 * Env: BENCH_DATABASE_URL (a superuser on a server; default the local one).
 */
const { spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { parseDocument } = require('yaml');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
};
const ROOT = join(__dirname, '../..');
const CLI = join(ROOT, 'bin/supamigrate.js');
const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const SCALE = Number(arg('scale', '10'));
const ONLY = arg('only', 'chinook,example,pgbench').split(',');
const EXAMPLE = join(ROOT, 'migrations.example/toolboxai/source');

const urlOf = (db) => Object.assign(new URL(SERVER), { pathname: `/${db}` }).toString();
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}\n${r.stdout}`);
  return r;
}

const psql = (url, ...args) => run('psql', ['-q', '-X', '-v', 'ON_ERROR_STOP=1', '-d', url, ...args]);

/** How each fixture's source is filled. */
const FIXTURES = {
  chinook: (url) => psql(url, '-f', join(ROOT, '../shared/fixtures/chinook/chinook.sql')),
  example: (url) => {
    psql(url, '-f', join(EXAMPLE, 'schema.sql'));
    psql(url, '-f', join(EXAMPLE, 'seed.sql'));
  },
  pgbench: (url) => run('pgbench', ['-i', '-q', '-s', String(SCALE), '--foreign-keys', url]),
};

/** The local server has no pgvector: embeddings stay arrays (the copy moves the same bytes). */
function keepArrays(specPath) {
  const doc = parseDocument(readFileSync(specPath, 'utf8'));
  doc.setIn(['options', 'enable_vector_migration'], false);
  writeFileSync(specPath, doc.toString());
}

function measure(name) {
  const tag = randomBytes(4).toString('hex');
  const source = `sm_est_${name}_s_${tag}`;
  const target = `sm_est_${name}_t_${tag}`;
  const dir = mkdtempSync(join(tmpdir(), `sm-bench-est-${name}-`));
  psql(SERVER, '-c', `create database ${source}`, '-c', `create database ${target}`);
  try {
    FIXTURES[name](urlOf(source));
    psql(urlOf(source), '-c', 'vacuum analyze');
    const env = { ...process.env, SOURCE_DATABASE_URL: urlOf(source), SUPABASE_DB_URL: urlOf(target) };
    const cli = (...args) => run(process.execPath, [CLI, ...args], { cwd: dir, env });
    cli('--target', urlOf(target), 'bootstrap');
    cli('--source', urlOf(source), '--target', urlOf(target), 'init', '--dir', dir, '--name', name);
    keepArrays(join(dir, 'migration.yaml'));
    const estimate = JSON.parse(cli('analyze', '--json').stdout).estimate;
    cli('plan');
    const started = process.hrtime.bigint();
    cli('apply');
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { name, estimate, seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    psql(SERVER, '-c', `drop database if exists ${source} with (force)`, '-c', `drop database if exists ${target} with (force)`);
  }
}

function main() {
  const loadStart = loadavg();
  const rows = ONLY.map(measure);
  console.log(`duration estimate vs measured apply (server ${new URL(SERVER).host}; pgbench scale ${SCALE})`);
  console.log(`${'fixture'.padEnd(10)}${'estimate s'.padStart(12)}${'apply s'.padStart(10)}${'ratio'.padStart(8)}   breakdown (ddl/copy/index)`);
  for (const r of rows) {
    const b = r.estimate.breakdown;
    const ratio = r.seconds / Math.max(r.estimate.seconds, 1e-9);
    const within = ratio <= 2 && ratio >= 0.5 ? 'within 2x' : 'OUTSIDE 2x';
    console.log(
      `${r.name.padEnd(10)}${String(r.estimate.seconds).padStart(12)}${r.seconds.toFixed(1).padStart(10)}${ratio.toFixed(2).padStart(8)}   ${b.ddlSeconds}/${b.copySeconds}/${b.indexSeconds}  ${within}`,
    );
  }
  console.log(`load average: ${loadStart} at start, ${loadavg()} at end`);
}

main();
