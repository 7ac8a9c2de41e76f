'use strict';
/**
 * Where the planning time of the generated select policy goes (issue 14). The bench:rls table
 * (100,000 rows by default), and the select policy written several ways: the generated one, its
 * parts alone, the same with constants or with current_setting() in place of auth.uid() and
 * auth.jwt() (no SQL function to inline), with the functions behind plpgsql wrappers (not
 * inlinable), and as two policies instead of one. Each variant plans the two filtered queries of
 * bench:rls with EXPLAIN (no execution) many times in a server-side loop, as role authenticated.
 * The figure is the backend's CPU time per EXPLAIN (from /proc/<pid>/schedstat, so the server must
 * be local), which waiting for a core does not inflate; the minimum over the repetitions is shown.
 * It includes parsing, analysis and rewriting of the query, the same for every variant.
 * Run after `npm run build`:  node bench/rls/planning.js [--rows 100000] [--loops 1500] [--reps 7]
 */
const { readFileSync } = require('node:fs');
const { randomBytes } = require('node:crypto');
const lib = require('../../dist/index.js');

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? Number(process.argv[at + 1]) : fallback;
}
const rows = option('rows', 100000);
const loops = option('loops', 1500);
const reps = option('reps', 7);
const server = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const database = `sm_bench_rlsplan_${randomBytes(4).toString('hex')}`;
const url = Object.assign(new URL(server), { pathname: `/${database}` }).toString();
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const UID = '(select auth.uid())';
const TENANT = `(select (((select auth.jwt()) -> 'app_metadata' ->> 'tenant_id'))::uuid)`;
const ZERO = `'a0000000-0000-0000-0000-000000000000'::uuid`;
const CLAIMS = `current_setting('request.jwt.claims', true)::jsonb`;
const VARIANTS = {
  'no RLS': null,
  'generated (owner or tenant)': [`("user_id" = ${UID}) or ("tenant_id" = ${TENANT})`],
  'owner part alone': [`"user_id" = ${UID}`],
  'tenant part alone': [`"tenant_id" = ${TENANT}`],
  'same shape, constants': [`("user_id" = (select ${ZERO})) or ("tenant_id" = (select ${ZERO}))`],
  'plain constants, no initPlan': [`("user_id" = ${ZERO}) or ("tenant_id" = ${ZERO})`],
  'current_setting() for the functions': [
    `("user_id" = (select (${CLAIMS} ->> 'sub')::uuid)) or ("tenant_id" = (select (${CLAIMS} -> 'app_metadata' ->> 'tenant_id')::uuid))`,
  ],
  'one select for the tenant claim': [
    `("user_id" = ${UID}) or ("tenant_id" = (select ((auth.jwt() -> 'app_metadata' ->> 'tenant_id'))::uuid))`,
  ],
  'plpgsql wrappers (not inlined)': [
    `("user_id" = (select bench.uid())) or ("tenant_id" = (select (((select bench.jwt()) -> 'app_metadata' ->> 'tenant_id'))::uuid))`,
  ],
  'two policies': [`"user_id" = ${UID}`, `"tenant_id" = ${TENANT}`],
};
const QUERIES = {
  own: `select id, body, created_at from public.notes where user_id = md5('u' || 17)::uuid order by created_at desc limit 50`,
  tenant: `select count(*) from public.notes where tenant_id = md5('t' || 17)::uuid`,
};

async function setUp(db) {
  await db.exec(`create table public.notes (id bigint generated always as identity primary key, user_id uuid not null,
    tenant_id uuid not null, body text not null, created_at timestamptz not null)`);
  await db.exec(`insert into public.notes (user_id, tenant_id, body, created_at)
    select md5('u' || (g % 10000))::uuid, md5('t' || ((g % 10000) % 100))::uuid, 'note ' || g, timestamptz '2026-01-01' + g * interval '1 second'
    from generate_series(1, ${rows}) g`);
  await db.exec(`create index on public.notes (user_id); create index on public.notes (tenant_id); analyze public.notes;
    grant select on public.notes to authenticated;
    create schema bench; grant usage on schema bench to authenticated;
    create function bench.uid() returns uuid language plpgsql stable as $$ begin return auth.uid(); end $$;
    create function bench.jwt() returns jsonb language plpgsql stable as $$ begin return auth.jwt(); end $$;`);
}

async function usePolicies(db, policies) {
  await db.exec('drop policy if exists p0 on public.notes; drop policy if exists p1 on public.notes');
  if (policies === null) return db.exec('alter table public.notes disable row level security');
  await db.exec('alter table public.notes enable row level security');
  for (const [i, p] of policies.entries()) await db.exec(`create policy p${i} on public.notes for select to authenticated using (${p})`);
}

const cpuMs = (pid) => Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;

/** Microseconds of backend CPU per EXPLAIN of `sql`, as authenticated with claims set. */
async function planCost(db, pid, sql) {
  const loop = (n) => `do $$ declare r record; begin for i in 1..${n} loop
    for r in execute '${`explain ${sql}`.replace(/'/g, "''")}' loop end loop; end loop; end $$`;
  return db.transaction(async (tx) => {
    await tx.exec('set local role authenticated');
    await tx.exec(`select set_config('request.jwt.claims', '{"sub":"a0000000-0000-0000-0000-000000000000","app_metadata":{"tenant_id":"a0000000-0000-0000-0000-000000000000"}}', true)`);
    await tx.exec(loop(50));
    const before = cpuMs(pid);
    await tx.exec(loop(loops));
    const us = ((cpuMs(pid) - before) * 1000) / loops;
    await tx.exec('reset role');
    return us;
  });
}

async function main() {
  console.log(`RLS planning cost: ${rows.toLocaleString('en')} rows, ${loops} EXPLAINs x ${reps} repetitions per figure; load ${loadavg()}`);
  await lib.withDb(server, (db) => db.exec(`create database ${database}`));
  try {
    await lib.bootstrapTarget(url);
    await lib.withDb(url, async (db) => {
      await setUp(db);
      const pid = (await db.query('select pg_backend_pid() as p')).rows[0].p;
      const best = {};
      for (let r = 0; r < reps; r += 1) {
        for (const [name, policies] of Object.entries(VARIANTS)) {
          await usePolicies(db, policies);
          for (const [q, sql] of Object.entries(QUERIES)) {
            const us = await planCost(db, pid, sql);
            best[`${name}|${q}`] = Math.min(best[`${name}|${q}`] ?? Infinity, us);
          }
        }
      }
      report(best);
    });
  } finally {
    await lib.withDb(server, (db) => db.exec(`drop database if exists ${database} with (force)`));
  }
}

function report(best) {
  const base = (q) => best[`no RLS|${q}`];
  console.log('\nvariant                                own query (us)   +no RLS   tenant query (us)   +no RLS');
  for (const name of Object.keys(VARIANTS)) {
    const cells = Object.keys(QUERIES).map((q) => {
      const v = best[`${name}|${q}`];
      return `${v.toFixed(1).padStart(8)}   ${`+${(v - base(q)).toFixed(1)}`.padStart(9)}`;
    });
    console.log(`${name.padEnd(38)} ${cells[0]}        ${cells[1]}`);
  }
  console.log(`\nload ${loadavg()}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
