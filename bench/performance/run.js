// bench/performance: the multi-tenant fixture (1 M tasks; --rows N) through init, plan, apply
// and validate --performance on the local server (BENCH_DATABASE_URL). Prints the ratio of every
// query (goal: <= 1.5x the source) and validate's own wall time against the queries' time.
// Run once: the machine is shared.
const { execFileSync, spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { randomBytes } = require('node:crypto');

const ROOT = join(__dirname, '../..');
const admin = process.env.BENCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
const rowsArg = process.argv.indexOf('--rows');
const rows = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : 1000000;

const urlOf = (name) => Object.assign(new URL(admin), { pathname: `/${name}` }).toString();
const psql = (url, args) => execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, ...args], { stdio: ['pipe', 'ignore', 'inherit'] });
const cli = (dir, env, args) => spawnSync(process.execPath, [join(ROOT, 'bin/supamigrate.js'), ...args], { cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 28 });

function main() {
  const tag = randomBytes(4).toString('hex');
  const [s, t] = [`sm_benchperf_s_${tag}`, `sm_benchperf_t_${tag}`];
  psql(admin, ['-c', `create database ${s}`, '-c', `create database ${t}`]);
  const dir = mkdtempSync(join(tmpdir(), 'sm-benchperf-'));
  try {
    const sql = readFileSync(join(ROOT, 'test/fixtures/multitenant.sql'), 'utf8').replace(/\{\{TASKS\}\}/g, String(rows));
    const t0 = Date.now();
    execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', urlOf(s)], { input: sql, stdio: ['pipe', 'ignore', 'inherit'] });
    const env = { SOURCE_DATABASE_URL: urlOf(s), SUPABASE_DB_URL: urlOf(t) };
    for (const args of [['bootstrap', '--target', urlOf(t)], ['init', '--source', urlOf(s), '--target', urlOf(t), '--name', 'tenant']]) {
      const r = cli(dir, env, args);
      if (r.status !== 0) throw new Error(`${args[0]}: ${r.stderr}`);
    }
    const spec = readFileSync(join(dir, 'migration.yaml'), 'utf8').split('\n');
    const cut = spec.findIndex((l) => l.startsWith('security:'));
    const kept = cut < 0 ? spec : spec.slice(0, cut).concat(spec.slice(cut + 1).filter((l, i, a) => a.slice(0, i + 1).some((x) => /^[a-z_]+:/.test(x))));
    writeFileSync(join(dir, 'migration.yaml'), `${kept.join('\n')}\nsecurity:\n  public.tasks:\n    - owner: { column: owner_id }\n  public.projects:\n    - owner: { column: owner_id }\n    - tenant: { column: tenant_id }\n  public.members:\n    - tenant: { column: tenant_id }\n`);
    for (const args of [['plan'], ['apply']]) {
      const r = cli(dir, env, args);
      if (r.status !== 0) throw new Error(`${args[0]}: ${r.stdout.slice(-800)}${r.stderr}`);
    }
    const loaded = Date.now() - t0;
    const v = cli(dir, env, ['validate', '--performance', '--json']);
    const perf = JSON.parse(v.stdout).performance;
    console.log(`multi-tenant fixture, ${rows} tasks; setup (load, init, plan, apply) ${(loaded / 1000).toFixed(1)} s; validate exit ${v.status}`);
    for (const q of perf.queries) {
      const ratio = q.ratio === null ? 'n/a' : `${q.ratio.toFixed(2)}x`;
      console.log(`${q.regressed ? 'SLOWER' : 'ok    '} ${ratio.padStart(7)}  source ${q.source_ms?.toFixed(3)} ms  target ${q.target_ms?.toFixed(3)} ms  ${q.name}`);
    }
    const over = perf.queries.filter((q) => q.ratio !== null && q.ratio > 1.5).length;
    console.log(`queries above 1.5x: ${over} of ${perf.queries.length}`);
    console.log(`validate --performance wall ${(perf.wallMs / 1000).toFixed(2)} s; the queries' own time (all timed runs, both sides) ${(perf.queriesMs / 1000).toFixed(3)} s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    psql(admin, ['-c', `drop database if exists ${s} with (force)`, '-c', `drop database if exists ${t} with (force)`]);
  }
}

main();
