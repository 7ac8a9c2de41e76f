// bench:storage: 2,000 files (>= 500 MB) moved through supabase-js into the local Storage
// stand-in, against a plain `cp -r` of the same tree on the same disk. Needs a Postgres server
// for the stand-in's rows (the transfer runs in its own process, so PGlite cannot be shared):
// BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/postgres.
const { execFileSync, spawnSync } = require('node:child_process');
const { mkdirSync, mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { dirname, join } = require('node:path');
const { withDb } = require('../../dist/db');
const { bootstrap } = require('../../dist/bootstrap');
const { fileBytes } = require('../../dist/storage-server/example-uploads');
const { serviceRoleKey } = require('../../dist/storage-server/jwt');
const { startStandin } = require('../../dist/storage-server/server');

const FILES = Number(process.env.BENCH_FILES ?? 2000);
const ADMIN = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const SECRET = 'bench-storage-secret-0123456789abcdef';
const MB = 1024 * 1024;

/** 95% small files (16-200 KB), every 20th a large one (4-8 MB): about 560 MB for 2,000 files. */
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

    db = await (require('../../dist/db').openDb)(dbUrl.toString());
    await bootstrap(db);
    await db.exec("insert into storage.buckets (id, name) values ('bench', 'bench')");
    standin = await startStandin({ db, root: join(work, 'standin'), jwtSecret: SECRET });
    const env = { BENCH_TREE: tree, BENCH_TARGET: dbUrl.toString(), SUPABASE_URL: standin.url, SUPABASE_SERVICE_ROLE_KEY: serviceRoleKey(SECRET), BENCH_PARALLEL: process.env.BENCH_PARALLEL ?? '8' };
    // The child blocks only on its own work; the stand-in answers from this process.
    const child = await new Promise((resolve, reject) => {
      const { spawn } = require('node:child_process');
      const started = process.hrtime.bigint();
      const p = spawn('/usr/bin/time', ['-f', '%M', process.execPath, join(__dirname, 'transfer.js')], { env: { ...process.env, ...env } });
      let out = '';
      let err = '';
      p.stdout.on('data', (b) => (out += b));
      p.stderr.on('data', (b) => (err += b));
      p.on('exit', (code) => {
        if (code !== 0) return reject(new Error(`transfer failed: ${err}`));
        const lines = err.trim().split('\n');
        resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, rssKb: Number(lines[lines.length - 1]), report: JSON.parse(out) });
      });
    });
    const r = child.report;
    console.log(`inventory: ${r.inventorySeconds.toFixed(2)} s to read and hash (sha256 + md5) every file, as \`plan\` does`);
    console.log(`transfer:  ${r.transferSeconds.toFixed(2)} s, ${(r.bytes / MB / r.transferSeconds).toFixed(1)} MB/s, ${r.uploaded} objects, parallel ${env.BENCH_PARALLEL}, peak RSS ${(child.rssKb / 1024).toFixed(1)} MB (engine process; the stand-in runs apart)`);
    console.log(`ratio:     transfer takes ${(r.transferSeconds / cp.seconds).toFixed(1)}x the time of cp -r; peak RSS ${(child.rssKb / cp.rssKb).toFixed(1)}x; largest file ${(Math.max(...Array.from({ length: FILES }, (_, i) => sizeOf(i))) / MB).toFixed(1)} MB`);
    if (r.uploaded !== FILES) throw new Error(`only ${r.uploaded} of ${FILES} objects arrived`);
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
