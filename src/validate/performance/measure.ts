import type { Db } from '../../db/types';
import { setTimeouts } from '../../db/timeouts';
import { walk, type ExplainedPlan } from './plan-shape';
import { OWN_MARK } from './statements';

export interface Measurement {
  /** Planning + execution time of each timed run, as the server reports it (no network in it). */
  runs: number[];
  medianMs: number;
  plan: ExplainedPlan;
  /** Estimated rows of every relation the plan reads (pg_class.reltuples), target side. */
  sizes: Record<string, number>;
}

export interface RunSettings {
  runs: number;
  warmup: number;
  statementTimeoutMs: number;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

async function explain(db: Db, options: string, sql: string, params: unknown[]): Promise<ExplainedPlan> {
  const r = await db.query<{ 'QUERY PLAN': unknown }>(`${OWN_MARK} explain (${options}, format json) ${sql}`, params);
  const raw = r.rows[0]['QUERY PLAN'];
  const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as ExplainedPlan[];
  return parsed[0];
}

const total = (p: ExplainedPlan): number => (p['Planning Time'] ?? 0) + (p['Execution Time'] ?? 0);

/** Warm-up, then N timed runs (EXPLAIN ANALYZE without per-node timing), then one with BUFFERS for the plan. */
async function measureIn(db: Db, sql: string, params: unknown[], s: RunSettings): Promise<Measurement> {
  for (let i = 0; i < s.warmup; i++) await explain(db, 'analyze, timing off', sql, params);
  const runs: number[] = [];
  for (let i = 0; i < s.runs; i++) runs.push(total(await explain(db, 'analyze, timing off', sql, params)));
  const plan = await explain(db, 'analyze, buffers', sql, params);
  return { runs, medianMs: median(runs), plan, sizes: {} };
}

/** Runs `fn` in a transaction that is always rolled back, so a statement that writes leaves nothing. */
async function rolledBack<T>(db: Db, setup: string[], s: RunSettings, fn: () => Promise<T>): Promise<T> {
  await db.exec('begin');
  try {
    for (const stmt of setup) await db.exec(stmt);
    await setTimeouts(db, { statementMs: s.statementTimeoutMs });
    return await fn();
  } finally {
    await db.exec('rollback');
  }
}

/** The source is production: a read-only transaction with a statement timeout, as the connection's role. */
export function measureOnSource(db: Db, sql: string, params: unknown[], s: RunSettings): Promise<Measurement> {
  return rolledBack(db, ['set transaction read only'], s, () => measureIn(db, sql, params, s));
}

/** On the target as PostgREST runs a request: role and request.jwt.claims set for the transaction. */
export async function measureOnTarget(
  db: Db,
  sql: string,
  params: unknown[],
  role: string,
  claimsJson: string | null,
  s: RunSettings,
): Promise<Measurement> {
  return rolledBack(db, [], s, async () => {
    if (claimsJson !== null)
      await db.query(`select set_config('request.jwt.claims', $1, true), set_config('request.method', 'GET', true)`, [
        claimsJson,
      ]);
    if (role !== 'postgres')
      await db.exec(
        `set local role ${role === 'anon' ? 'anon' : role === 'authenticated' ? 'authenticated' : 'service_role'}`,
      );
    const m = await measureIn(db, sql, params, s);
    await db.exec('reset role');
    return { ...m, sizes: await relationSizes(db, m.plan) };
  });
}

async function relationSizes(db: Db, plan: ExplainedPlan): Promise<Record<string, number>> {
  const names = new Set<string>();
  walk(plan.Plan, (n) => {
    if (n['Relation Name']) names.add(n['Relation Name']);
  });
  const r = await db.query<{ name: string; rows: number }>(
    `select relname as name, max(reltuples)::float8 as rows from pg_class where relname = any($1) and relkind in ('r', 'p') group by relname`,
    [[...names]],
  );
  return Object.fromEntries(r.rows.map((x) => [x.name, Number(x.rows)]));
}
