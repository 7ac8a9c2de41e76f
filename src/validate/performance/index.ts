import type { Db } from '../../db/types';
import type { Snapshot } from '../../introspect/snapshot';
import type { SecurityContext } from '../../plan/security/context';
import type { PerformanceSpec } from '../../spec/performance';
import { claimsObject } from './claims';
import { findings, type Finding } from './compare';
import { dataApiWorkload } from './data-api';
import { measureOnSource, measureOnTarget, type Measurement } from './measure';
import { keyNodes, type ExplainedPlan } from './plan-shape';
import { readSamples, sampleKey, sampleMissing, writeSamples, type Samples } from './samples';
import { statementWorkload, topStatements } from './statements';
import type { ResolvedQuery, WorkloadQuery } from './types';
import { specWorkload } from './spec-queries';
import { redactDeep } from './redact';
import { readOnlyOnSource } from './source-guard';

/** One query of `validate --performance`; the snake_case fields are the --json contract. */
export interface QueryTiming {
  name: string;
  origin: WorkloadQuery['origin'];
  sql: string;
  role: string;
  source_ms: number | null;
  target_ms: number | null;
  ratio: number | null;
  regressed: boolean;
  findings: Finding[];
  source_runs: number[];
  target_runs: number[];
  source_nodes: string[];
  target_nodes: string[];
  source_plan: ExplainedPlan | null;
  target_plan: ExplainedPlan | null;
  error?: string;
}

export interface PerformanceValidation {
  ok: boolean;
  queries: QueryTiming[];
  skipped: { sql: string; reason: string }[];
  /** Wall time of the whole check, and the sum of the queries' own median times (both sides). */
  wallMs: number;
  queriesMs: number;
}

export interface PerformanceInput {
  snapshot: Snapshot;
  ctx: SecurityContext;
  perf: PerformanceSpec;
  /** Folder of the sampled values (the state folder's performance/, git-ignored). */
  samplesDir: string;
}

function resolve(q: WorkloadQuery, samples: Samples): ResolvedQuery | null {
  const values = q.params.map((p) => samples[sampleKey(p)] ?? null);
  const claimValues = q.claims.map((c) => samples[sampleKey(c.value)] ?? null);
  if (values.includes(null) || claimValues.includes(null)) return null;
  const claimsJson = q.claims.length > 0 ? JSON.stringify(claimsObject(q.claims, claimValues as string[])) : null;
  return { ...q, values: values as string[], claimsJson };
}

/** Pulls the merged workload: the spec's named queries, pg_stat_statements' top, the Data API's. */
export async function buildWorkload(
  source: Db,
  input: PerformanceInput,
): Promise<{ queries: ResolvedQuery[]; skipped: PerformanceValidation['skipped'] }> {
  const guarded = <T>(fn: () => Promise<T>) => readOnlyOnSource(source, input.perf.statementTimeoutMs, fn);
  const top = statementWorkload(await guarded(() => topStatements(source, input.perf.topStatements)), input.snapshot);
  const named = specWorkload(input.perf);
  // A top statement init already proposed as a named query (same name) runs once, as the spec's.
  const fresh = top.queries.filter((q) => !named.some((n) => n.name === q.name));
  const all = [...named, ...fresh, ...(input.perf.dataApi ? dataApiWorkload(input.ctx) : [])];
  const known = readSamples(input.samplesDir);
  const wanted = all.flatMap((q) => [...q.params, ...q.claims.map((c) => c.value)]);
  const samples = await guarded(() => sampleMissing(source, wanted, known));
  if (Object.keys(samples).length !== Object.keys(known).length) writeSamples(input.samplesDir, samples);
  const skipped = [...top.skipped];
  const queries: ResolvedQuery[] = [];
  for (const q of all) {
    const r = resolve(q, samples);
    if (r) queries.push(r);
    else skipped.push({ sql: q.name, reason: 'a value could not be sampled (the column is empty on the source)' });
  }
  return { queries, skipped };
}

function timing(q: ResolvedQuery, src: Measurement | null, tgt: Measurement, perf: PerformanceSpec): QueryTiming {
  const f = findings(src?.plan ?? null, tgt.plan, src?.medianMs ?? null, tgt.medianMs, perf, tgt.sizes);
  return {
    name: q.name,
    origin: q.origin,
    sql: q.sql,
    role: q.role,
    source_ms: src?.medianMs ?? null,
    target_ms: tgt.medianMs,
    ratio: src ? tgt.medianMs / Math.max(src.medianMs, 0.001) : null,
    regressed: f.length > 0,
    findings: f,
    source_runs: src?.runs ?? [],
    target_runs: tgt.runs,
    source_nodes: keyNodes(src?.plan ?? null),
    target_nodes: keyNodes(tgt.plan),
    source_plan: src?.plan ?? null,
    target_plan: tgt.plan,
  };
}

function failed(q: ResolvedQuery, error: unknown): QueryTiming {
  return {
    name: q.name,
    origin: q.origin,
    sql: q.sql,
    role: q.role,
    source_ms: null,
    target_ms: null,
    ratio: null,
    regressed: true,
    findings: [],
    source_runs: [],
    target_runs: [],
    source_nodes: [],
    target_nodes: [],
    source_plan: null,
    target_plan: null,
    error: error instanceof Error ? error.message : String(error),
  };
}

function claimValues(q: ResolvedQuery): string[] {
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(q.claimsJson === null ? null : JSON.parse(q.claimsJson));
  return out.filter((v) => v !== 'anon' && v !== 'authenticated');
}

/** Runs one query on both sides; the source gets the claims JSON as its last parameter when its WHERE reads it. */
async function runOne(source: Db, target: Db, q: ResolvedQuery, perf: PerformanceSpec): Promise<QueryTiming> {
  const settings = { runs: perf.runs, warmup: perf.warmup, statementTimeoutMs: perf.statementTimeoutMs };
  const secrets = [...q.values, ...claimValues(q)];
  try {
    const claimsParam = `$${q.values.length + 1}`;
    const sourceParams = q.sourceSql.includes(claimsParam) ? [...q.values, q.claimsJson ?? '{}'] : q.values;
    const src = q.writes ? null : await measureOnSource(source, q.sourceSql, sourceParams, settings);
    const tgt = await measureOnTarget(target, q.sql, q.values, q.role, q.claimsJson, settings);
    return redactDeep(timing(q, src, tgt, perf), secrets);
  } catch (e) {
    return redactDeep(failed(q, e), secrets);
  }
}

export async function validatePerformance(
  source: Db,
  target: Db,
  input: PerformanceInput,
  progress?: (done: number, total: number, name?: string) => void,
): Promise<PerformanceValidation> {
  const started = performance.now();
  const { queries, skipped } = await buildWorkload(source, input);
  const out: QueryTiming[] = [];
  progress?.(0, queries.length);
  for (const q of queries) {
    out.push(await runOne(source, target, q, input.perf));
    progress?.(out.length, queries.length, q.name);
  }
  const queriesMs = out.reduce(
    (sum, q) => sum + (q.source_ms ?? 0) * q.source_runs.length + (q.target_ms ?? 0) * q.target_runs.length,
    0,
  );
  return { ok: out.every((q) => !q.regressed), queries: out, skipped, wallMs: performance.now() - started, queriesMs };
}
