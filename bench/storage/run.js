// bench:storage, all in one run against one local Storage stand-in (its rows on a Postgres server):
// 1. plan's read+hash of the tree against `sha256sum` of the same tree;
// 2. the engine's transfer against a bare supabase-js upload loop with the same parallelism;
// 3. one 200 MB file through TUS, with the engine's peak RSS.
// BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/postgres;
// BENCH_FILES (default 800), BENCH_PARALLEL (default 8), BENCH_LARGE_MB (default 200).
const { execFileSync, spawnSync } = require('node:child_process');
const { mkdirSync, mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { dirname, join } = require('node:path');
const { withDb } = require('../../dist/db');
const { bootstrap } = require('../../dist/bootstrap');
const { fileBytes } = require('../../dist/storage-server/example-uploads');
const { serviceRoleKey } = require('../../dist/storage-server/jwt');
const { startStandin } = require('../../dist/storage-server/server');

const FILES = Number(process.env.BENCH_FILES ?? 800);
const LARGE_MB = Number(process.env.BENCH_LARGE_MB ?? 200);
const ADMIN = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const SECRET = 'bench-storage-secret-0123456789abcdef';
const MB = 1024 * 1024;

/** 95% small files (16-200 KB), every 20th a large one (4-8 MB): about 225 MB for 800 files. */
function sizeOf(i) {
  return i % 20 === 0 ? 4 * MB + ((i * 7919) % (4 * MB)) : 16 * 1024 + ((i * 104729) % (184 * 1024));
}

function generate(root) {
  let bytes = 0;
  for (let i = 0; i < FILES; i++) {
    const path = `u${String(i % 50).padStart(2, '0')}/batch-${i % 7}/file-${i}.${i % 20 === 0 ? 'mp4' : i % 3 === 0 ? 'jpg' : 'pdf'}`;
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    const size = sizeOf(i);
    writeFileSync(file, fileBytes(path, size));
    bytes += size;
  }
  return bytes;
}

/** Wall time and peak RSS (KB) of a command, from GNU time. */
function timed(cmd, args, env) {
  const started = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 * MB });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  return { seconds, rssKb: Number(lines[lines.length - 1]), stdout: r.stdout };
}

/** A bench script in its own process (so its memory is its own), timed, with its JSON report and peak RSS. */
function child(script, env) {
  return new Promise((resolve, reject) => {
    const { spawn } = require('node:child_process');
    const p = spawn('/usr/bin/time', ['-f', '%M', process.execPath, join(__dirname, script)], { env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    p.stdout.on('data', (b) => (out += b));
    p.stderr.on('data', (b) => (err += b));
    p.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${script} failed: ${err}`));
      const lines = err.trim().split('\n');
      resolve({ rssKb: Number(lines[lines.length - 1]), report: JSON.parse(out) });
    });
  });
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'sm-bench-storage-'));
  const name = `sm_bench_storage_${process.pid}`;
  const dbUrl = new URL(ADMIN);
  dbUrl.pathname = `/${name}`;
  await withDb(ADMIN, (db) => db.exec(`create database ${name}`));
  let standin;
  let db;
  try {
    const tree = join(work, 'tree');
    let t = Date.now();
    const bytes = generate(tree);
    console.log(`generated ${FILES} files, ${(bytes / MB).toFixed(0)} MB in ${((Date.now() - t) / 1000).toFixed(1)} s (${work})`);
    execFileSync('sync');

    const cp = timed('cp', ['-r', tree, join(work, 'copy')]);
    execFileSync('sync');
    console.log(`cp -r:     ${cp.seconds.toFixed(2)} s, ${(bytes / MB / cp.seconds).toFixed(1)} MB/s, peak RSS ${(cp.rssKb / 1024).toFixed(1)} MB`);
    rmSync(join(work, 'copy'), { recursive: true, force: true });

    const sums = timed('sh', ['-c', `find "${tree}" -type f -print0 | xargs -0 sha256sum > /dev/null`]);
    console.log(`sha256sum: ${sums.seconds.toFixed(2)} s, ${(bytes / MB / sums.seconds).toFixed(1)} MB/s`);

    db = await (require('../../dist/db').openDb)(dbUrl.toString());
    await bootstrap(db);
    await db.exec("insert into storage.buckets (id, name) values ('bench', 'bench'), ('base', 'base'), ('large', 'large')");
    standin = await startStandin({ db, root: join(work, 'standin'), jwtSecret: SECRET });
    const env = { BENCH_TREE: tree, BENCH_TARGET: dbUrl.toString(), SUPABASE_URL: standin.url, SUPABASE_SERVICE_ROLE_KEY: serviceRoleKey(SECRET), BENCH_PARALLEL: process.env.BENCH_PARALLEL ?? '8' };
    const base = await child('baseline.js', env);
    console.log(`supabase-js loop: ${base.report.seconds.toFixed(2)} s, ${(base.report.bytes / MB / base.report.seconds).toFixed(1)} MB/s, ${base.report.uploaded} objects, parallel ${env.BENCH_PARALLEL}`);
    const engine = await child('transfer.js', env);
    const r = engine.report;
    const readRate = bytes / MB / r.inventorySeconds;
    console.log(`plan read+hash: ${r.inventorySeconds.toFixed(2)} s, ${readRate.toFixed(1)} MB/s (sha256 + md5 of every file)`);
    console.log(`transfer:  ${r.transferSeconds.toFixed(2)} s, ${(r.bytes / MB / r.transferSeconds).toFixed(1)} MB/s, ${r.uploaded} objects, peak RSS ${(engine.rssKb / 1024).toFixed(1)} MB`);
    if (r.uploaded !== FILES) throw new Error(`only ${r.uploaded} of ${FILES} objects arrived`);

    const large = join(work, 'large');
    mkdirSync(large);
    writeFileSync(join(large, 'video.bin'), fileBytes('video.bin', LARGE_MB * MB));
    const big = await child('transfer.js', { ...env, BENCH_TREE: large, BENCH_BUCKET: 'large' });
    console.log(`TUS:       ${LARGE_MB} MB file in ${big.report.transferSeconds.toFixed(2)} s, peak RSS ${(big.rssKb / 1024).toFixed(1)} MB (goal < 200 MB)`);
    console.log(`ratios:    transfer throughput ${(base.report.seconds / r.transferSeconds).toFixed(2)}x the supabase-js loop (goal >= 0.8); `
      + `plan read+hash ${(sums.seconds / r.inventorySeconds).toFixed(2)}x sha256sum (goal >= 0.8); cp -r took ${cp.seconds.toFixed(2)} s`);
  } finally {
    await standin?.close();
    await db?.close();
    await withDb(ADMIN, (a) => a.exec(`drop database if exists ${name} with (force)`));
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
