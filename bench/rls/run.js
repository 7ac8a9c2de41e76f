'use strict';
/**
 * RLS benchmark (issue 4): one table of 1,000,000 rows (10,000 users in 100 tenants), queried as
 * a signed-in user the way PostgREST does it (role authenticated, request.jwt.claims set in the
 * transaction), three ways:
 *   no RLS     RLS off, the same indexes: the floor.
 *   generated  what `supamigrate plan` writes for `owner` + `tenant` patterns: `(select auth.uid())`,
 *              `(select auth.jwt())`, `to authenticated`, indexes on the policy columns.
 *   naive      `auth.uid() = user_id or tenant_id = (auth.jwt() ... )::uuid` for every role, and
 *              no index on either column: what a first policy usually looks like.
 * Every query is timed on the server (EXPLAIN ANALYZE with TIMING OFF: planning + execution,
 * no per-node clock reads), median over the rounds, one user or tenant per round, in two modes:
 *   ad hoc     the query text with the values in it, planned on every call (the figure issue 4 set).
 *   prepared   as PostgREST runs it (db-prepared-statements, on by default): a named statement
 *              prepared once on the connection, executed with the value as a parameter, role and
 *              claims set in each transaction. Postgres makes custom plans for the first five
 *              executions, then may keep a generic plan, so planning is paid once per connection
 *              and role rather than per request; the rounds start after ten warm-up executions.
 * Run after `npm run build`:  node bench/rls/run.js [--rows 1000000] [--rounds 25] [--pglite] [--keep]
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

const settings = {
  server: process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
  rows: option('rows', 1000000),
  rounds: option('rounds', 25),
  naiveRounds: option('naive-rounds', 5),
  pglite: process.argv.includes('--pglite'),
  keep: process.argv.includes('--keep'),
};
const USERS = 10000;
const TENANTS = 100;
const database = `sm_bench_rls_${randomBytes(4).toString('hex')}`;
const targetUrl = settings.pglite ? `pglite://memory/${database}` : Object.assign(new URL(settings.server), { pathname: `/${database}` }).toString();
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

// Deterministic ids: user n belongs to tenant n % TENANTS.
const userId = (n) => `md5('u' || ${n})::uuid`;
// `text` is the parameterized statement (prepared mode), `sql` the same with the value written in (ad hoc).
const QUERIES = [
  { name: 'own notes (eq user_id, latest 50)', text: 'select id, body, created_at from public.notes where user_id = $1 order by created_at desc limit 50', arg: (u) => userId(u) },
  { name: 'tenant count (eq tenant_id)', text: 'select count(*) from public.notes where tenant_id = $1', arg: (u) => `md5('t' || ${u % TENANTS})::uuid` },
  { name: 'everything visible (no filter)', text: 'select count(*) from public.notes', arg: null, policyOnly: true },
];
for (const [i, q] of QUERIES.entries()) {
  q.statement = `rls_bench_${i}`;
  q.sql = (u) => (q.arg ? q.text.replace('$1', q.arg(u)) : q.text);
  // EXECUTE takes a constant for each parameter, so the uuid is computed here and quoted.
  q.execute = async (db, u) => `execute ${q.statement}${q.arg ? `('${await argValue(db, q, u)}')` : ''}`;
}
const MODES = ['ad hoc', 'prepared'];

const SPEC = `version: 1
name: bench_rls
# The planner reads the snapshot taken below; the source URL is never opened.
source:
  url: pglite://memory/unused
target:
  url: \${BENCH_URL}
schema:
  include_schemas: [public]
security:
  public.notes:
    - owner: { column: user_id }
    - tenant: { column: tenant_id }
      operations: [select]
`;

async function load(db) {
  await db.exec(`create table public.notes (
    id bigint generated always as identity primary key,
    user_id uuid not null,
    tenant_id uuid not null,
    body text not null,
    created_at timestamptz not null
  )`);
  const step = 100000;
  for (let from = 1; from <= settings.rows; from += step) {
    const to = Math.min(settings.rows, from + step - 1);
    await db.exec(`insert into public.notes (user_id, tenant_id, body, created_at)
      select md5('u' || (g % ${USERS}))::uuid, md5('t' || ((g % ${USERS}) % ${TENANTS}))::uuid, 'note ' || g, timestamptz '2026-01-01' + g * interval '1 second'
      from generate_series(${from}, ${to}) g`);
  }
  // Vacuumed, as a live table is: otherwise the first stage timed (no RLS) pays for setting the
  // freshly loaded rows' hint bits, and autovacuum may start on the table in the middle of it.
  await db.exec('vacuum (analyze) public.notes');
}

/** Server-side milliseconds of one query as user n, in a rolled-back transaction like PostgREST's. */
async function timeOnce(db, statement, n) {
  const claims = JSON.stringify({ sub: await uuidOf(db, n), role: 'authenticated', app_metadata: { tenant_id: await tenantOf(db, n) } });
  return db.transaction(async (tx) => {
    await tx.exec('set local role authenticated');
    await tx.query(`select set_config('request.jwt.claims', $1, true)`, [claims]);
    const { rows } = await tx.query(`explain (analyze, timing off, format json) ${statement}`);
    const plan = typeof rows[0]['QUERY PLAN'] === 'string' ? JSON.parse(rows[0]['QUERY PLAN']) : rows[0]['QUERY PLAN'];
    await tx.exec('reset role');
    return { plan: plan[0]['Planning Time'], exec: plan[0]['Execution Time'], scan: scanOf(plan[0].Plan) };
  });
}

/** The table's scan in a plan, e.g. `Index Only Scan (heap fetches 0)`, to tell plans apart. */
function scanOf(node) {
  if (node['Relation Name'] === 'notes') {
    const fetches = node['Heap Fetches'] === undefined ? '' : ` (heap fetches ${node['Heap Fetches']})`;
    return `${node['Node Type']}${fetches}`;
  }
  for (const child of node.Plans ?? []) {
    const found = scanOf(child);
    if (found) return found;
  }
  return null;
}

const ids = new Map();
async function argValue(db, q, n) {
  return q.name.startsWith('own') ? uuidOf(db, n) : tenantOf(db, n);
}
async function uuidOf(db, n) {
  if (!ids.has(`u${n}`)) ids.set(`u${n}`, (await db.query(`select ${userId(n)}::text as v`)).rows[0].v);
  return ids.get(`u${n}`);
}
async function tenantOf(db, n) {
  if (!ids.has(`t${n}`)) ids.set(`t${n}`, (await db.query(`select md5('t' || ${n % TENANTS})::uuid::text as v`)).rows[0].v);
  return ids.get(`t${n}`);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const summary = (times) => ({
  median: median(times.map((t) => t.plan + t.exec)),
  plan: median(times.map((t) => t.plan)),
  exec: median(times.map((t) => t.exec)),
  scans: [...new Set(times.map((t) => t.scan))].join(' / '),
});
const roundUser = (r) => (r * 37 + 11) % USERS;

async function measureAdHoc(db, q, rounds) {
  await timeOnce(db, q.sql(7), 7); // warm the cache and the plan
  const times = [];
  for (let r = 0; r < rounds; r += 1) times.push(await timeOnce(db, q.sql(roundUser(r)), roundUser(r)));
  return summary(times);
}

/** Prepared once per stage (as a fresh PostgREST connection would), warmed past the five custom plans. */
async function measurePrepared(db, q, rounds) {
  await db.exec(`prepare ${q.statement}${q.arg ? '(uuid)' : ''} as ${q.text}`);
  for (let w = 0; w < 10; w += 1) await timeOnce(db, await q.execute(db, w * 101 + 3), w * 101 + 3);
  const times = [];
  for (let r = 0; r < rounds; r += 1) times.push(await timeOnce(db, await q.execute(db, roundUser(r)), roundUser(r)));
  const { rows } = await db.query('select generic_plans::int as g, custom_plans::int as c from pg_prepared_statements where name = $1', [q.statement]);
  await db.exec(`deallocate ${q.statement}`);
  return { ...summary(times), plans: rows[0] ? `${rows[0].g} generic, ${rows[0].c} custom` : '?' };
}

async function measure(db, label, rounds) {
  const out = { 'ad hoc': {}, prepared: {} };
  for (const q of QUERIES) {
    out['ad hoc'][q.name] = await measureAdHoc(db, q, rounds);
    out.prepared[q.name] = await measurePrepared(db, q, rounds);
  }
  console.log(`  measured ${label} (${rounds} rounds, ad hoc and prepared); load ${loadavg()}`);
  return out;
}

async function main() {
  console.log(`RLS benchmark: ${settings.rows.toLocaleString('en')} rows, ${USERS} users, ${TENANTS} tenants, on ${settings.pglite ? 'PGlite' : 'the server'}; load ${loadavg()}`);
  if (!settings.pglite) await lib.withDb(settings.server, (db) => db.exec(`create database ${database}`));
  const dir = mkdtempSync(join(tmpdir(), 'sm-bench-rls-'));
  try {
    await lib.bootstrapTarget(targetUrl);
    writeFileSync(join(dir, 'migration.yaml'), SPEC);
    const spec = lib.loadSpec(join(dir, 'migration.yaml'), { BENCH_URL: targetUrl });
    await lib.withDb(targetUrl, async (db) => {
      let t = Date.now();
      await load(db);
      console.log(`  loaded in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      const snapshot = await lib.introspect(db, { includeSchemas: ['public'] });
      const steps = lib.buildPlan(spec, snapshot).steps.filter((s) => s.phase === 'security');
      const indexes = steps.filter((s) => s.kind === 'index');
      const rest = steps.filter((s) => s.kind !== 'index');
      console.log(`  generated: ${indexes.length} indexes, ${rest.filter((s) => s.kind === 'policy').length} policies`);
      t = Date.now();
      for (const s of indexes) await db.exec(s.sql);
      console.log(`  policy indexes built in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      await db.exec('alter table public.notes disable row level security; grant select on public.notes to authenticated;');
      // Every stage reads the same users' and tenants' pages: read them all once first, so the
      // stage timed first (no RLS) does not pay alone for bringing them into memory.
      for (const q of QUERIES) for (let r = 0; r < settings.rounds; r += 1) await db.query(q.sql(roundUser(r)));
      const none = await measure(db, 'no RLS', settings.rounds);
      for (const s of rest) await db.exec(s.sql);
      const generated = await measure(db, 'generated', settings.rounds);
      for (const s of [...steps].reverse()) if (s.kind === 'policy' || s.kind === 'index') await db.exec(s.down);
      await db.exec(`create policy naive on public.notes for select using (auth.uid() = user_id or tenant_id = (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)`);
      const naive = await measure(db, 'naive', settings.naiveRounds);
      for (const mode of MODES) report(mode, none[mode], generated[mode], naive[mode]);
      console.log(`\nload ${loadavg()}`);
      console.log('"everything visible" returns every row without RLS and only the caller\'s rows with it, so only generated vs naive compares there.');
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (!settings.pglite && !settings.keep) await lib.withDb(settings.server, (db) => db.exec(`drop database if exists ${database} with (force)`));
  }
}

function report(mode, none, generated, naive) {
  const ms = (x) => `${x.median.toFixed(2)} ms`;
  console.log(`\n== ${mode} ==`);
  console.log('query                                  no RLS      generated   naive         generated/no-RLS  naive/generated');
  let worst = 0;
  for (const q of QUERIES) {
    const [a, b, c] = [none[q.name], generated[q.name], naive[q.name]];
    const ratio = b.median / a.median;
    if (!q.policyOnly) worst = Math.max(worst, ratio);
    const shown = q.policyOnly ? '(different rows)' : ratio.toFixed(2);
    console.log(`${q.name.padEnd(38)} ${ms(a).padEnd(11)} ${ms(b).padEnd(11)} ${ms(c).padEnd(13)} ${shown.padEnd(17)} ${(c.median / b.median).toFixed(1)}x`);
  }
  console.log('\nplanning + execution, medians (ms):');
  for (const q of QUERIES) {
    const line = [none, generated, naive].map((m) => `${m[q.name].plan.toFixed(2)} + ${m[q.name].exec.toFixed(2)}`.padEnd(20)).join(' ');
    console.log(`${q.name.padEnd(38)} ${line}`);
  }
  console.log('scan of the table (every round):');
  for (const q of QUERIES.filter((x) => !x.policyOnly)) console.log(`${q.name.padEnd(38)} ${[none, generated].map((m) => m[q.name].scans).join('  |  ')}`);
  if (mode === 'prepared') {
    console.log('plans made over the warm-up and the rounds (pg_prepared_statements):');
    for (const q of QUERIES) console.log(`${q.name.padEnd(38)} ${[none, generated, naive].map((m) => m[q.name].plans.padEnd(20)).join(' ')}`);
  }
  console.log(`worst generated/no-RLS over the filtered queries (${mode}): ${worst.toFixed(2)} (goal <= 1.2: ${worst <= 1.2 ? 'met' : 'NOT met'})`);
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => require('../../dist/db').closeNamedPglite());
