'use strict';
/**
 * Real-schema benchmark (issue 13): `supamigrate init` + `supamigrate plan` (the CLI, as a user runs
 * it) of one fixture from ../shared/fixtures/real-schemas (default apflora: 545 tables, 281 views)
 * against `pg_dump --schema-only` of the same database, in the same run, rounds interleaved.
 * Wall time and peak memory (max RSS) of each process come from /usr/bin/time.
 * Run after `npm run build`:   node bench/schema/real.js [--fixture apflora] [--rounds 2] [--profile DIR]
 *   [--baseline ROOT]   also time the CLI of another build (ROOT/bin/supamigrate.js, e.g. main's dist copied
 *                       aside), alternated with this one and pg_dump in every round
 * CPU seconds (user + system) are printed too: on a loaded machine they move less than wall time.
 * Env: BENCH_DATABASE_URL (a superuser on a server; default the local one).
 * `--profile DIR` adds one untimed pass of init and plan under `node --cpu-prof`, profiles in DIR.
 */
const { spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
};
const ROOT = join(__dirname, '../..');
const CLI = join(ROOT, 'bin/supamigrate.js');
const settings = {
  url: process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
  fixture: arg('fixture', 'apflora'),
  rounds: Number(arg('rounds', '2')),
  profile: arg('profile', null),
  baseline: arg('baseline', null),
};
const database = `sm_bench_real_${randomBytes(4).toString('hex')}`;
const urlOf = (db) => Object.assign(new URL(settings.url), { pathname: `/${db}` }).toString();
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}\n${r.stdout}`);
  return r;
}

/** One process under /usr/bin/time: wall seconds and max RSS in MB. */
function timed(cmd, args, opts = {}) {
  const r = run('/usr/bin/time', ['-f', '@@time %e %M %U %S', cmd, ...args], opts);
  const m = r.stderr.match(/@@time ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/);
  return { seconds: Number(m[1]), mb: Number(m[2]) / 1024, cpu: Number(m[3]) + Number(m[4]) };
}

function supamigrate(url, extraNode = [], cli = CLI) {
  const dir = mkdtempSync(join(tmpdir(), 'sm-bench-real-'));
  try {
    const init = timed(process.execPath, [...extraNode, cli, '--source', url, 'init', '--dir', dir, '--name', settings.fixture]);
    const plan = timed(process.execPath, [...extraNode, cli, 'plan'], { cwd: dir });
    return { init, plan, total: init.seconds + plan.seconds, cpu: init.cpu + plan.cpu, mb: Math.max(init.mb, plan.mb) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const pgDump = (url) => timed('pg_dump', ['--schema-only', '-d', url, '-f', '/dev/null']);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

function main() {
  const loadStart = loadavg();
  run('psql', ['-q', '-X', '-d', settings.url, '-c', `create database ${database}`]);
  try {
    const url = urlOf(database);
    run(join(ROOT, '../shared/fixtures/real-schemas/load.sh'), [settings.fixture, url]);
    run('psql', ['-q', '-X', '-d', url, '-c', 'analyze']);
    const baseCli = settings.baseline && join(settings.baseline, 'bin/supamigrate.js');
    supamigrate(url); // warm-up: server caches for both sides
    if (baseCli) supamigrate(url, [], baseCli);
    pgDump(url);
    const rows = [];
    for (let r = 0; r < settings.rounds; r += 1) {
      const sides = [() => ({ sm: supamigrate(url) }), () => ({ dump: pgDump(url) })];
      if (baseCli) sides.push(() => ({ base: supamigrate(url, [], baseCli) }));
      for (let k = 0; k < r % sides.length; k += 1) sides.push(sides.shift()); // rotate who goes first
      rows.push(Object.assign({}, ...sides.map((s) => s())));
    }
    const line = (label, xs, mb) => `${label.padEnd(28)}${xs.map((x) => x.toFixed(2).padStart(8)).join('')}   peak ${mb.toFixed(0)} MB`;
    const peak = (f) => Math.max(...rows.map(f));
    const dumpMedian = median(rows.map((r) => r.dump.seconds));
    const block = (label, key) => [
      line(`${label} init`, rows.map((r) => r[key].init.seconds), peak((r) => r[key].init.mb)),
      line(`${label} plan`, rows.map((r) => r[key].plan.seconds), peak((r) => r[key].plan.mb)),
      line(`${label} init + plan`, rows.map((r) => r[key].total), peak((r) => r[key].mb)),
      line(`${label} cpu s init + plan`, rows.map((r) => r[key].cpu), peak((r) => r[key].mb)),
      `${label} ratio (init + plan) / pg_dump, median: ${(median(rows.map((r) => r[key].total)) / dumpMedian).toFixed(2)}`,
    ];
    const out = [
      `real-schema benchmark: ${settings.fixture}, ${settings.rounds} rounds interleaved after a warm-up (seconds per round)`,
      ...block('supamigrate', 'sm'),
      ...(baseCli ? block('baseline', 'base') : []),
      line('pg_dump --schema-only', rows.map((r) => r.dump.seconds), peak((r) => r.dump.mb)),
      line('pg_dump cpu s', rows.map((r) => r.dump.cpu), peak((r) => r.dump.mb)),
      `load average (1/5/15 min): start ${loadStart}, end ${loadavg()}`,
    ];
    process.stdout.write(`${out.join('\n')}\n`);
    if (settings.profile) {
      supamigrate(url, ['--cpu-prof', '--cpu-prof-dir', settings.profile]);
      process.stdout.write(`cpu profiles of init and plan in ${settings.profile}\n`);
    }
  } finally {
    run('psql', ['-q', '-X', '-d', settings.url, '-c', `drop database if exists ${database} with (force)`]);
  }
}

main();
