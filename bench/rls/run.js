'use strict';
/**
 * RLS benchmark (issue 4, issue 14): 1,000,000 rows (10,000 users in 100 tenants), queried as a
 * signed-in user the way PostgREST does it (role authenticated, request.jwt.claims set in the
 * transaction). Three tables hold the same rows, loaded by the same statements, one per arm:
 *   no RLS     public.notes_plain: RLS off, the same indexes as `generated` (the policy indexes
 *              too, as the planner generates them for this table): the floor.
 *   generated  public.notes: what `supamigrate plan` writes for `owner` + `tenant` patterns
 *              (policies, grants and indexes are the plan's own steps, applied as they are).
 *   naive      public.notes_naive: `auth.uid() = user_id or tenant_id = (auth.jwt() ... )::uuid`
 *              for every role, and no index on either column: what a first policy looks like.
 * The arms are measured back to back inside every round (paired), and the arm that goes first
 * alternates from round to round, so a change in the machine's load shifts both arms of a pair
 * alike instead of one whole stage. Naive runs in the first --naive-rounds rounds only.
 * Every query is timed on the server (EXPLAIN ANALYZE with TIMING OFF: planning + execution,
 * no per-node clock reads), one user or tenant per round (the same one for every arm), in two modes:
 *   ad hoc     the query text with the values in it, planned on every call (the figure issue 4 set).
 *   prepared   as PostgREST runs it (db-prepared-statements, on by default): a named statement per
 *              table, prepared once on the connection, executed with the value as a parameter, role
 *              and claims set in each transaction. Postgres makes custom plans for the first five
 *              executions, then may keep a generic plan; ten warm-up executions come first.
 * Reported per cell: median and interquartile range (q1-q3) over the rounds; per pair of arms the
 * ratio of the medians and the paired ratio (the ratio in each round, then its median and IQR).
 * The goal (issue 14) is read on the paired ratio. In prepared mode each execution also records
 * whether Postgres ran its generic plan (pg_prepared_statements, read outside the timing). Postgres
 * keeps making custom plans while their average estimated cost stays below the generic plan's; for
 * the tenant count the two are within a few percent, so the choice turns on ANALYZE's sample and
 * differs from run to run and between arms. A custom plan in one arm only is ~0.1 ms of planning
 * that the policy did not add, so the paired ratio is printed again over the rounds where both arms
 * ran the generic plan.
 * Run after `npm run build`:
 *   node bench/rls/run.js [--rows 1000000] [--rounds 26] [--naive-rounds 6] [--pglite] [--keep] [--json out.json]
 * Env: BENCH_DATABASE_URL (a superuser on a server; default the local one).
 */
const { randomBytes } = require('node:crypto');
const { mkdtempSync, rmSync, writeFileSync, readFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const lib = require('../../dist/index.js');

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? Number(process.argv[at + 1]) : fallback;
}
const stringOption = (name) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
};

const settings = {
  server: process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
  rows: option('rows', 1000000),
  // Even, so that no RLS and generated go first equally often.
  rounds: option('rounds', 26),
  // Even, so that the rounds a naive scan precedes start with each of the other arms equally often.
  naiveRounds: option('naive-rounds', 6),
  pglite: process.argv.includes('--pglite'),
  keep: process.argv.includes('--keep'),
  json: stringOption('json'),
};
const USERS = 10000;
const TENANTS = 100;
const database = `sm_bench_rls_${randomBytes(4).toString('hex')}`;
const targetUrl = settings.pglite ? `pglite://memory/${database}` : Object.assign(new URL(settings.server), { pathname: `/${database}` }).toString();
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const ARMS = [
  { key: 'none', label: 'no RLS', table: 'notes_plain' },
  { key: 'generated', label: 'generated', table: 'notes' },
  { key: 'naive', label: 'naive', table: 'notes_naive' },
];
const TABLES = ARMS.map((a) => a.table);

// Deterministic ids: user n belongs to tenant n % TENANTS.
const userId = (n) => `md5('u' || ${n})::uuid`;
const tenantId = (n) => `md5('t' || ${n % TENANTS})::uuid`;
// `text` is the parameterized statement (prepared mode); `sql` the same with the value written in (ad hoc).
const QUERIES = [
  { name: 'own notes (eq user_id, latest 50)', text: (t) => `select id, body, created_at from public.${t} where user_id = $1 order by created_at desc limit 50`, arg: userId, key: 'u' },
  { name: 'tenant count (eq tenant_id)', text: (t) => `select count(*) from public.${t} where tenant_id = $1`, arg: tenantId, key: 't' },
  { name: 'everything visible (no filter)', text: (t) => `select count(*) from public.${t}`, arg: null, policyOnly: true },
];
for (const [i, q] of QUERIES.entries()) {
  q.statement = (arm) => `rls_bench_${i}_${arm.key}`;
  q.sql = (arm, n) => (q.arg ? q.text(arm.table).replace('$1', q.arg(n)) : q.text(arm.table));
  // EXECUTE takes a constant for each parameter, so the uuid is computed here and quoted.
  q.execute = async (db, arm, n) => `execute ${q.statement(arm)}${q.arg ? `('${await valueOf(db, q, n)}')` : ''}`;
}
const MODES = ['ad hoc', 'prepared'];

const SPEC = (table) => `version: 1
name: bench_rls
# The planner reads the snapshot taken below; the source URL is never opened.
source:
  url: pglite://memory/unused
target:
  url: \${BENCH_URL}
schema:
  include_schemas: [public]
security:
  public.${table}:
    - owner: { column: user_id }
    - tenant: { column: tenant_id }
      operations: [select]
`;

/** The same rows in the same physical order in every arm's table. */
async function load(db, table) {
  await db.exec(`create table public.${table} (
    id bigint generated always as identity primary key,
    user_id uuid not null,
    tenant_id uuid not null,
    body text not null,
    created_at timestamptz not null
  )`);
  const step = 100000;
  for (let from = 1; from <= settings.rows; from += step) {
    const to = Math.min(settings.rows, from + step - 1);
    await db.exec(`insert into public.${table} (user_id, tenant_id, body, created_at)
      select md5('u' || (g % ${USERS}))::uuid, md5('t' || ((g % ${USERS}) % ${TENANTS}))::uuid, 'note ' || g, timestamptz '2026-01-01' + g * interval '1 second'
      from generate_series(${from}, ${to}) g`);
  }
}

/** Server-side milliseconds of one query as user n, in a transaction like PostgREST's. */
async function timeOnce(db, statement, n) {
  const claims = JSON.stringify({ sub: await idOf(db, 'u', n), role: 'authenticated', app_metadata: { tenant_id: await idOf(db, 't', n) } });
  return db.transaction(async (tx) => {
    await tx.exec('set local role authenticated');
    await tx.query(`select set_config('request.jwt.claims', $1, true)`, [claims]);
    const { rows } = await tx.query(`explain (analyze, timing off, format json) ${statement}`);
    const plan = typeof rows[0]['QUERY PLAN'] === 'string' ? JSON.parse(rows[0]['QUERY PLAN']) : rows[0]['QUERY PLAN'];
    await tx.exec('reset role');
    return { plan: plan[0]['Planning Time'], exec: plan[0]['Execution Time'], scan: scanOf(plan[0].Plan) };
  });
}

/**
 * The table's scan in a plan, e.g. `Index Only Scan (10000 rows, heap fetches 0)`: tells plans
 * apart, and shows that both arms read the same rows (claims that let nothing through would be fast).
 */
function scanOf(node) {
  if (TABLES.includes(node['Relation Name'])) {
    const fetches = node['Heap Fetches'] === undefined ? '' : `, heap fetches ${node['Heap Fetches']}`;
    return `${node['Node Type']} (${node['Actual Rows']} rows${fetches})`;
  }
  for (const child of node.Plans ?? []) {
    const found = scanOf(child);
    if (found) return found;
  }
  return null;
}

const ids = new Map();
const valueOf = (db, q, n) => idOf(db, q.key, n);
/** The text of user n's id ('u') or of its tenant's ('t'), computed by the server once. */
async function idOf(db, kind, n) {
  const key = `${kind}${n}`;
  if (!ids.has(key)) ids.set(key, (await db.query(`select ${kind === 'u' ? userId(n) : tenantId(n)}::text as v`)).rows[0].v);
  return ids.get(key);
}

const roundUser = (r) => (r * 37 + 11) % USERS;

/**
 * Builds the three tables: the plan for public.notes applied as it is (indexes, RLS, grants,
 * policies); the planner's indexes for public.notes_plain, RLS off; the naive policy on
 * public.notes_naive, no policy index. Every table vacuumed and analysed.
 */
async function setUp(db, dir) {
  let t = Date.now();
  for (const table of TABLES) await load(db, table);
  // Vacuumed, as a live table is: otherwise a table timed soon after loading pays for setting the
  // fresh rows' hint bits, and autovacuum may start on it in the middle of the rounds.
  for (const table of TABLES) await db.exec(`vacuum (analyze) public.${table}`);
  await sameStatistics(db);
  console.log(`  loaded and vacuumed 3 x ${settings.rows.toLocaleString('en')} rows in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  const snapshot = await lib.introspect(db, { includeSchemas: ['public'] });
  const planFor = (table) => {
    writeFileSync(join(dir, 'migration.yaml'), SPEC(table));
    const spec = lib.loadSpec(join(dir, 'migration.yaml'), { BENCH_URL: targetUrl });
    const ofTable = (s) => s.id.endsWith(`:public.${table}`) || s.id.includes(`:public.${table}.`);
    return lib.buildPlan(spec, snapshot).steps.filter((s) => s.phase === 'security' && ofTable(s));
  };
  const generated = planFor('notes');
  const plainIndexes = planFor('notes_plain').filter((s) => s.kind === 'index');
  console.log(`  generated for public.notes: ${generated.map((s) => s.kind).join(', ')}`);
  t = Date.now();
  for (const s of [...plainIndexes, ...generated.filter((x) => x.kind === 'index')]) await db.exec(s.sql);
  console.log(`  policy indexes (both tables) built in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  for (const s of generated.filter((x) => x.kind !== 'index')) await db.exec(s.sql);
  await db.exec(`alter table public.notes_plain disable row level security;
    alter table public.notes_naive enable row level security;
    grant select on public.notes_plain, public.notes_naive to authenticated;
    create policy naive on public.notes_naive for select using (auth.uid() = user_id or tenant_id = (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)`);
}

/**
 * ANALYZE reads a random sample, so three tables of the same rows get slightly different
 * statistics, and a plan choice could differ between arms for that reason alone (custom vs generic
 * plan for a prepared statement, say). The other tables get public.notes' statistics, copied as
 * they are (a superuser may write pg_statistic; the attribute numbers are the same).
 */
async function sameStatistics(db) {
  const columns = (await db.query(`select string_agg(quote_ident(attname), ', ' order by attnum) as list from pg_attribute
    where attrelid = 'pg_catalog.pg_statistic'::regclass and attnum > 1`)).rows[0].list;
  for (const table of TABLES.filter((t) => t !== 'notes')) {
    await db.exec(`delete from pg_statistic where starelid = 'public.${table}'::regclass;
      insert into pg_statistic select 'public.${table}'::regclass, ${columns} from pg_statistic where starelid = 'public.notes'::regclass`);
  }
}

/** Prints each arm's table as the catalog has it (RLS, size, indexes, policies), so a reader can check they match. */
async function describe(db) {
  const { rows } = await db.query(`select c.relname as t, c.relrowsecurity as rls, c.relpages as pages, c.reltuples::bigint as tuples,
      (select string_agg(pg_get_indexdef(i.indexrelid), '; ' order by pg_get_indexdef(i.indexrelid)) from pg_index i where i.indrelid = c.oid) as indexes,
      (select string_agg(p.policyname || ': ' || p.qual, '; ') from pg_policies p where p.tablename = c.relname and p.schemaname = 'public') as policies
    from pg_class c where c.relnamespace = 'public'::regnamespace and c.relname = any($1) order by c.relname`, [TABLES]);
  for (const r of rows) {
    console.log(`  ${r.t}: rls ${r.rls ? 'on' : 'off'}, ${r.pages} pages, ${r.tuples} rows`);
    console.log(`    indexes: ${r.indexes.replaceAll(`public.${r.t} `, '')}`);
    if (r.policies) console.log(`    policies: ${r.policies.replace(/\s+/g, ' ')}`);
  }
}

/** The order of the arms in round r: no RLS and generated alternate first; naive comes last. */
function armsOf(r) {
  const pair = r % 2 === 0 ? [ARMS[0], ARMS[1]] : [ARMS[1], ARMS[0]];
  return r < settings.naiveRounds ? [...pair, ARMS[2]] : pair;
}

async function prepareAll(db) {
  for (const arm of ARMS) {
    for (const q of QUERIES) {
      await db.exec(`prepare ${q.statement(arm)}${q.arg ? '(uuid)' : ''} as ${q.text(arm.table)}`);
      // Past the five custom plans (users never met in the rounds), as a PostgREST connection in use would be.
      for (let w = 0; w < 10; w += 1) await timeOnce(db, await q.execute(db, arm, w * 101 + 3), w * 101 + 3);
    }
  }
}

const genericPlans = async (db, name) =>
  (await db.query('select generic_plans::int as g from pg_prepared_statements where name = $1', [name])).rows[0].g;

/** One timed execution, and whether Postgres ran its generic plan or made a custom one (read outside the timing). */
async function timePrepared(db, q, arm, n) {
  const before = await genericPlans(db, q.statement(arm));
  const time = await timeOnce(db, await q.execute(db, arm, n), n);
  return { ...time, generic: (await genericPlans(db, q.statement(arm))) > before };
}

async function planCounts(db) {
  const { rows } = await db.query(`select name, generic_plans::int as g, custom_plans::int as c from pg_prepared_statements where name like 'rls_bench_%'`);
  return Object.fromEntries(rows.map((r) => [r.name, `${r.g} generic, ${r.c} custom`]));
}

/**
 * times[mode][query][arm] = one entry per round ({ round, plan, exec, scan }); in each round every
 * query and mode measures the round's arms back to back, in the round's order.
 */
async function measure(db, queries, times) {
  const loads = [loadavg()];
  for (let r = 0; r < settings.rounds; r += 1) {
    const n = roundUser(r);
    for (const q of queries) {
      for (const arm of armsOf(r)) times['ad hoc'][q.name][arm.key].push({ round: r, ...(await timeOnce(db, q.sql(arm, n), n)) });
      for (const arm of armsOf(r)) times.prepared[q.name][arm.key].push({ round: r, ...(await timePrepared(db, q, arm, n)) });
    }
    if ((r + 1) % 5 === 0) loads.push(loadavg());
  }
  console.log(`  measured ${queries.length} queries, ${settings.rounds} rounds (naive in ${Math.min(settings.naiveRounds, settings.rounds)}); load over the rounds ${loads.join(' | ')}`);
  return loads;
}

/** Blocks each table (heap and indexes) read from outside shared_buffers so far (pg_statio). */
async function blocksRead(db) {
  await db.query('select pg_stat_force_next_flush()');
  await db.query('select pg_stat_clear_snapshot()');
  const { rows } = await db.query(`select relname, (coalesce(heap_blks_read, 0) + coalesce(idx_blks_read, 0))::int as n
    from pg_statio_user_tables where schemaname = 'public' and relname = any($1)`, [TABLES]);
  return Object.fromEntries(rows.map((r) => [r.relname, r.n]));
}

/**
 * The filtered queries' rounds first, "everything visible" after them: with RLS that query reads
 * the caller's rows from nearly every heap page through a bitmap (not a ring buffer), which would
 * push the filtered queries' pages out of shared_buffers in every round.
 */
async function measureAll(db) {
  const times = Object.fromEntries(MODES.map((m) => [m, Object.fromEntries(QUERIES.map((q) => [q.name, { none: [], generated: [], naive: [] }]))]));
  const before = await blocksRead(db);
  const loads = await measure(db, QUERIES.filter((q) => !q.policyOnly), times);
  const after = await blocksRead(db);
  console.log(`  blocks read into shared_buffers over those rounds (heap + index; the rest were hits): ${ARMS.map((a) => `${a.label} ${after[a.table] - before[a.table]}`).join(', ')}`);
  loads.push(...(await measure(db, QUERIES.filter((q) => q.policyOnly), times)));
  return { times, loads };
}

async function main() {
  console.log(`RLS benchmark: ${settings.rows.toLocaleString('en')} rows, ${USERS} users, ${TENANTS} tenants, on ${settings.pglite ? 'PGlite' : 'the server'}; load ${loadavg()}`);
  if (!settings.pglite) await lib.withDb(settings.server, (db) => db.exec(`create database ${database}`));
  const dir = mkdtempSync(join(tmpdir(), 'sm-bench-rls-'));
  try {
    await lib.bootstrapTarget(targetUrl);
    await lib.withDb(targetUrl, async (db) => {
      await setUp(db, dir);
      await describe(db);
      await prepareAll(db);
      // One unmeasured pass over every round's pages of every table, so that no arm pays alone
      // for bringing them into memory; the filtered queries last, as they are measured first.
      for (const q of [...QUERIES].reverse()) for (const arm of ARMS) for (let r = 0; r < settings.rounds; r += 1) await db.query(q.sql(arm, roundUser(r)));
      const { times, loads } = await measureAll(db);
      const counts = await planCounts(db);
      const results = MODES.map((mode) => report(mode, times[mode], counts));
      console.log(`\nload ${loadavg()}`);
      console.log('"everything visible" returns every row without RLS and only the caller\'s rows with it, so only generated vs naive compares there.');
      if (settings.json) writeFileSync(settings.json, JSON.stringify({ settings, loads: [...loads, loadavg()], results, times }, null, 1));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (!settings.pglite && !settings.keep) await lib.withDb(settings.server, (db) => db.exec(`drop database if exists ${database} with (force)`));
  }
}

/** Quantile q of xs, linear between the closest ranks. */
function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return lo + 1 < s.length ? s[lo] + (s[lo + 1] - s[lo]) * (at - lo) : s[lo];
}
const median = (xs) => quantile(xs, 0.5);
const total = (t) => t.plan + t.exec;

/** Median and IQR of one arm's rounds, with the planning and execution medians and the scans seen. */
function cell(entries) {
  const xs = entries.map(total);
  return {
    median: median(xs),
    q1: quantile(xs, 0.25),
    q3: quantile(xs, 0.75),
    min: Math.min(...xs),
    plan: median(entries.map((t) => t.plan)),
    exec: median(entries.map((t) => t.exec)),
    scans: [...new Set(entries.map((t) => t.scan))].join(' / '),
  };
}

/**
 * b over a, round by round (the rounds both arms ran, and that `keep` accepts), then the median
 * and IQR of those ratios.
 */
function paired(a, b, keep = () => true) {
  const byRound = new Map(a.map((t) => [t.round, t]));
  const both = b.filter((t) => byRound.has(t.round) && keep(byRound.get(t.round), t));
  const ratios = both.map((t) => total(t) / total(byRound.get(t.round)));
  if (ratios.length === 0) return { median: NaN, q1: NaN, q3: NaN, n: 0 };
  return { median: median(ratios), q1: quantile(ratios, 0.25), q3: quantile(ratios, 0.75), n: ratios.length };
}

/** Median and IQR over the rounds of what generated adds to no RLS (µs), in planning and in execution. */
function extra(a, b) {
  const byRound = new Map(a.map((t) => [t.round, t]));
  const both = b.filter((t) => byRound.has(t.round));
  const spread = (xs) => ({ median: median(xs), q1: quantile(xs, 0.25), q3: quantile(xs, 0.75) });
  return {
    plan: spread(both.map((t) => 1000 * (t.plan - byRound.get(t.round).plan))),
    exec: spread(both.map((t) => 1000 * (t.exec - byRound.get(t.round).exec))),
  };
}

const ms = (c) => `${c.median.toFixed(3)} [${c.q1.toFixed(3)}-${c.q3.toFixed(3)}]`;
const ratioText = (p) => `${p.median.toFixed(2)} [${p.q1.toFixed(2)}-${p.q3.toFixed(2)}]`;

function report(mode, times, counts) {
  console.log(`\n== ${mode} ==   ms, median [q1-q3] over the rounds; ratios: of the medians, and paired (per round, median [q1-q3])`);
  console.log(`${'query'.padEnd(34)} ${'no RLS'.padEnd(20)} ${'generated'.padEnd(20)} ${'naive'.padEnd(24)} gen/none medians  gen/none paired     naive/gen paired`);
  const out = {};
  for (const q of QUERIES) {
    const t = times[q.name];
    const [a, b, c] = [cell(t.none), cell(t.generated), cell(t.naive)];
    const pair = paired(t.none, t.generated);
    const naivePair = paired(t.generated, t.naive);
    const shown = q.policyOnly ? ['(different rows)', ''] : [(b.median / a.median).toFixed(2), ratioText(pair)];
    console.log(`${q.name.slice(0, 34).padEnd(34)} ${ms(a).padEnd(20)} ${ms(b).padEnd(20)} ${ms(c).padEnd(24)} ${shown[0].padEnd(17)} ${shown[1].padEnd(19)} ${naivePair.median.toFixed(0)}x`);
    out[q.name] = { none: a, generated: b, naive: c, ratioOfMedians: b.median / a.median, paired: pair, naivePaired: naivePair, extra: extra(t.none, t.generated) };
    if (mode === 'prepared') out[q.name].pairedGeneric = paired(t.none, t.generated, (x, y) => x.generic && y.generic);
  }
  console.log('planning + execution, medians (ms), and min of the total:');
  for (const q of QUERIES) {
    const line = ['none', 'generated', 'naive'].map((k) => out[q.name][k]).map((m) => `${m.plan.toFixed(3)} + ${m.exec.toFixed(3)} (min ${m.min.toFixed(3)})`.padEnd(32)).join(' ');
    console.log(`${q.name.slice(0, 34).padEnd(34)} ${line}`);
  }
  const us = (x) => `${x.median >= 0 ? '+' : ''}${x.median.toFixed(0)} [${x.q1.toFixed(0)}, ${x.q3.toFixed(0)}]`;
  console.log('generated minus no RLS in the same round, median [q1, q3] (us):');
  for (const q of QUERIES.filter((x) => !x.policyOnly)) console.log(`${q.name.slice(0, 34).padEnd(34)} planning ${us(out[q.name].extra.plan).padEnd(20)} execution ${us(out[q.name].extra.exec)}`);
  console.log('scan of the table (every round), no RLS | generated:');
  for (const q of QUERIES.filter((x) => !x.policyOnly)) console.log(`${q.name.slice(0, 34).padEnd(34)} ${out[q.name].none.scans}  |  ${out[q.name].generated.scans}`);
  if (mode === 'prepared') {
    console.log('plans made over the warm-up and the rounds (pg_prepared_statements), no RLS | generated | naive:');
    for (const q of QUERIES) console.log(`${q.name.slice(0, 34).padEnd(34)} ${ARMS.map((arm) => (counts[q.statement(arm)] ?? '?').padEnd(20)).join(' ')}`);
    // A custom plan is planned afresh (~0.1 ms): when Postgres picks them for one arm only, that, not the policy, moves the ratio.
    console.log('gen/none paired over the rounds where both arms ran the generic plan:');
    for (const q of QUERIES.filter((x) => !x.policyOnly)) console.log(`${q.name.slice(0, 34).padEnd(34)} ${out[q.name].pairedGeneric.n} rounds: ${ratioText(out[q.name].pairedGeneric)}`);
  }
  const filtered = QUERIES.filter((q) => !q.policyOnly);
  const worst = Math.max(...filtered.map((q) => out[q.name].paired.median));
  const verdict = filtered.map((q) => `${q.name.split(' (')[0]} ${out[q.name].paired.median.toFixed(2)} ${out[q.name].paired.median <= 1.2 ? 'met' : 'NOT met'}`).join('; ');
  // Whichever arm goes first in a pair pays a little more; the alternation cancels it, and this shows how much.
  const firstIs = (even) => (x, y) => (x.round % 2 === 0) === even && y.round === x.round;
  const split = filtered.map((q) => `${q.name.split(' (')[0]} ${[true, false].map((e) => paired(times[q.name].none, times[q.name].generated, firstIs(e)).median.toFixed(2)).join(' / ')}`);
  console.log(`gen/none paired, rounds with no RLS first / generated first: ${split.join('; ')}`);
  console.log(`goal generated/no-RLS <= 1.2, paired median (${mode}): ${verdict}; worst ${worst.toFixed(2)}`);
  return { mode, queries: out, worst };
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => require('../../dist/db').closeNamedPglite());
