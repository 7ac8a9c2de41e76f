'use strict';
/**
 * What the generated select policy costs in execution, and in which part (issue 14). Runs on a
 * database left by `node bench/rls/run.js --keep`: public.notes (RLS, generated policies) and
 * public.notes_plain (the same rows and indexes, no RLS). In one transaction per block, the select
 * policy of public.notes is replaced by a variant (rolled back afterwards), both tables' queries
 * are prepared and warmed past the custom plans, and then executed in pairs, alternating which
 * goes first; the figure is the median over the pairs of (notes - notes_plain) execution time, in
 * us, from EXPLAIN (ANALYZE, TIMING OFF). Variants run in blocks, repeated --blocks times in turn,
 * so a change in load is spread over all of them. Every variant lets the same rows through for
 * these queries (the caller's rows are in the caller's tenant), so the plans stay the same.
 *   node bench/rls/variants.js <database> [--pairs 150] [--blocks 3]
 */
const { readFileSync } = require('node:fs');
const lib = require('../../dist/index.js');

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? Number(process.argv[at + 1]) : fallback;
}
const database = process.argv[2];
const pairs = option('pairs', 150);
const blocks = option('blocks', 3);
const server = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const url = Object.assign(new URL(server), { pathname: `/${database}` }).toString();
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const UID = '(select auth.uid())';
const TENANT = `(select (((select auth.jwt()) -> 'app_metadata' ->> 'tenant_id'))::uuid)`;
const VARIANTS = {
  'generated (tenant arm first)': `("tenant_id" = ${TENANT}) or ("user_id" = ${UID})`,
  'owner arm first': `("user_id" = ${UID}) or ("tenant_id" = ${TENANT})`,
  'true (RLS, no condition)': 'true',
};
const QUERIES = {
  own: (t) => `select id, body, created_at from public.${t} where user_id = $1 order by created_at desc limit 50`,
  tenant: (t) => `select count(*) from public.${t} where tenant_id = $1`,
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function execTime(tx, statement, arg) {
  const { rows } = await tx.query(`explain (analyze, timing off, format json) execute ${statement}('${arg}')`);
  const plan = typeof rows[0]['QUERY PLAN'] === 'string' ? JSON.parse(rows[0]['QUERY PLAN']) : rows[0]['QUERY PLAN'];
  return plan[0]['Execution Time'];
}

/** Differences (us) for one variant and query over `pairs` alternating pairs, in the open transaction. */
async function pairsOf(tx, query, arg) {
  for (const t of ['notes', 'notes_plain']) await tx.exec(`prepare v_${t}(uuid) as ${QUERIES[query](t)}`);
  for (let w = 0; w < 10; w += 1) for (const t of ['notes', 'notes_plain']) await execTime(tx, `v_${t}`, arg);
  const diffs = [];
  for (let i = 0; i < pairs; i += 1) {
    const time = {};
    for (const t of i % 2 ? ['notes', 'notes_plain'] : ['notes_plain', 'notes']) time[t] = await execTime(tx, `v_${t}`, arg);
    diffs.push(1000 * (time.notes - time.notes_plain));
  }
  for (const t of ['notes', 'notes_plain']) await tx.exec(`deallocate v_${t}`);
  return diffs;
}

async function main() {
  const results = Object.fromEntries(Object.keys(VARIANTS).map((v) => [v, { own: [], tenant: [] }]));
  await lib.withDb(url, async (db) => {
    const ids = (await db.query(`select md5('u' || 11)::uuid::text as u, md5('t' || 11)::uuid::text as t`)).rows[0];
    const claims = JSON.stringify({ sub: ids.u, role: 'authenticated', app_metadata: { tenant_id: ids.t } });
    for (let b = 0; b < blocks; b += 1) {
      for (const [name, using] of Object.entries(VARIANTS)) {
        await db.exec('begin');
        await db.exec(`drop policy "authenticated can select" on public.notes;
          create policy "authenticated can select" on public.notes for select to authenticated using (${using});
          set local role authenticated`);
        await db.query(`select set_config('request.jwt.claims', $1, true)`, [claims]);
        results[name].own.push(...(await pairsOf(db, 'own', ids.u)));
        results[name].tenant.push(...(await pairsOf(db, 'tenant', ids.t)));
        await db.exec('rollback');
      }
      console.log(`block ${b + 1} of ${blocks} done; load ${loadavg()}`);
    }
  });
  console.log('select policy                    own rows: exec over no RLS (us)   tenant count (us)');
  for (const [name, r] of Object.entries(results)) console.log(`${name.padEnd(32)} ${`+${median(r.own).toFixed(1)}`.padEnd(33)} +${median(r.tenant).toFixed(1)}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
