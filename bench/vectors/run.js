'use strict';
/**
 * Vector benchmark (issue 6): building the HNSW index after the load (what the plan does: the
 * index step is in post-data) against loading into a table that already has the index, in
 * PGlite with pgvector. Both load the same deterministic vectors in chunks of BENCH_CHUNK rows,
 * each chunk its own transaction, as the data phase does.
 * Run:  npm run bench:vectors    (env BENCH_SIZES=1000,10000  BENCH_DIMS=1536  BENCH_CHUNK=1000
 *       BENCH_DIR=<folder for the on-disk PGlite>)
 * The index SQL comes from the engine's own builder, with the example's settings (hnsw, cosine,
 * m 16, ef_construction 64). The issue's size, BENCH_SIZES=100000, takes hours in PGlite (WebAssembly,
 * one thread): 10,000 vectors took 5 minutes to index and 12 to load indexed on this machine.
 */
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { PGlite } = require('@electric-sql/pglite');
const { vector } = require('@electric-sql/pglite-pgvector');
const { vectorIndexStep } = require('../../dist/plan/vectors/index-step.js');

const sizes = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);
const dims = Number(process.env.BENCH_DIMS ?? 1536);
const chunk = Number(process.env.BENCH_CHUNK ?? 1000);

/**
 * Vectors are sums of three parts chosen by the row number: one of 50 "subject" directions and
 * two smaller components (997 and 991 of them, coprime, so every row up to ~49 million is
 * distinct). Neighbours exist as with real embeddings, and the per-row cost is two vector
 * additions in C, so the load measures the table and index, not the generator.
 */
function parts(count, scale, seed) {
  let x = seed;
  const next = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  return Array.from({ length: count }, () => `[${Array.from({ length: dims }, () => (next() * scale).toFixed(5)).join(',')}]`);
}

async function prepareParts(db) {
  for (const [table, count, scale, seed] of [['bench_subject', 50, 1, 7], ['bench_a', 997, 0.5, 11], ['bench_b', 991, 0.3, 13]]) {
    await db.exec(`create table ${table} (i integer primary key, v extensions.vector(${dims}))`);
    const vectors = parts(count, scale, seed);
    for (let i = 0; i < count; i++) await db.query(`insert into ${table} values ($1, $2)`, [i, vectors[i]]);
  }
}

const generated = (lo, hi) => `
  select g, s.v operator(extensions.+) a.v operator(extensions.+) b.v
    from generate_series(${lo}, ${hi}) as g
    join bench_subject s on s.i = g % 50 join bench_a a on a.i = g % 997 join bench_b b on b.i = g % 991`;

function indexSql(table) {
  const v = {
    table: { name: table }, column: { name: 'embedding' }, targetSchema: 'public',
    settings: { type: 'vector', dimensions: dims, distance: 'cosine', index: { method: 'hnsw', m: 16, efConstruction: 64 } },
  };
  return vectorIndexStep(v).sql;
}

async function load(db, table, rows) {
  for (let lo = 1; lo <= rows; lo += chunk) {
    await db.transaction(async (tx) => tx.exec(`insert into ${table} ${generated(lo, Math.min(rows, lo + chunk - 1))}`));
  }
}

const seconds = (ms) => (ms / 1000).toFixed(1);

async function measure(rows) {
  const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'sm-vbench-'));
  const db = await PGlite.create(dir, { extensions: { vector } });
  try {
    await db.exec(`create schema extensions; create extension vector with schema extensions; set maintenance_work_mem = '512MB'`);
    await prepareParts(db);
    const create = (t) => db.exec(`create table public.${t} (id integer primary key, embedding extensions.vector(${dims}) not null)`);

    await create('after_load');
    let t0 = Date.now();
    await load(db, 'public.after_load', rows);
    const loadMs = Date.now() - t0;
    t0 = Date.now();
    await db.exec(indexSql('after_load'));
    const buildMs = Date.now() - t0;
    await db.exec('drop table public.after_load; checkpoint');

    await create('indexed');
    await db.exec(indexSql('indexed'));
    t0 = Date.now();
    await load(db, 'public.indexed', rows);
    const indexedMs = Date.now() - t0;
    return { rows, loadMs, buildMs, afterMs: loadMs + buildMs, indexedMs };
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  console.log(`vectors of ${dims} dimensions in PGlite, HNSW (cosine, m 16, ef_construction 64), chunks of ${chunk} rows`);
  console.log('rows      load then index (load + build)     load into indexed table   ratio');
  for (const rows of sizes) {
    const r = await measure(rows);
    const ratio = r.indexedMs / r.afterMs;
    console.log(`${String(rows).padEnd(9)} ${`${seconds(r.afterMs)} s (${seconds(r.loadMs)} + ${seconds(r.buildMs)})`.padEnd(34)} ${`${seconds(r.indexedMs)} s`.padEnd(25)} ${ratio.toFixed(2)}x`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
