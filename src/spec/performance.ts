/**
 * `performance:`: the workload `validate --performance` runs on both sides, and when a query
 * counts as slower. The spec says how to pick values (which column, which row), never the values:
 * sampled keys and claims are real people's data and stay in the state folder.
 */
export interface ValuePick {
  /** `schema.table.column` the value is read from, on the source. */
  column: string;
  /** most_rows: the value that occurs most often; any: the smallest value (stable across runs). */
  pick: 'most_rows' | 'any';
}

export type PerformanceRole = 'anon' | 'authenticated' | 'service_role' | 'postgres';

export interface NamedQuery {
  name: string;
  sql: string;
  /** One pick per $n, in order. */
  params: ValuePick[];
  /** The role PostgREST switches to and the JWT claims (claim name -> how its value is picked). */
  as: { role: PerformanceRole; claims: Record<string, ValuePick> };
  /** A statement that writes: runs on the target only, inside a transaction rolled back. */
  writes: boolean;
}

export interface PerformanceSpec {
  /** A query regresses when target/source is above this ratio ... */
  threshold: number;
  /** ... and the difference is more than this many milliseconds. */
  floorMs: number;
  runs: number;
  warmup: number;
  statementTimeoutMs: number;
  /** How many of pg_stat_statements' top read-only statements to take (0: none). */
  topStatements: number;
  /** Add the queries the Data API sends for the generated API. */
  dataApi: boolean;
  queries: NamedQuery[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- validated against the JSON schema before this
type Raw = Record<string, any>;

const toPick = (raw: Raw): ValuePick => ({ column: raw.column, pick: raw.pick ?? 'most_rows' });

function toQuery(raw: Raw): NamedQuery {
  const claims: Record<string, ValuePick> = {};
  for (const key of Object.keys(raw.as?.claims ?? {}).sort()) claims[key] = toPick(raw.as.claims[key]);
  return {
    name: raw.name,
    sql: raw.sql,
    params: (raw.params ?? []).map(toPick),
    as: { role: raw.as?.role ?? 'postgres', claims },
    writes: raw.writes ?? false,
  };
}

export function toPerformanceSpec(raw: Raw | undefined): PerformanceSpec {
  const r = raw ?? {};
  return {
    threshold: r.threshold ?? 1.5,
    floorMs: r.floor_ms ?? 2,
    runs: r.runs ?? 5,
    warmup: r.warmup ?? 2,
    statementTimeoutMs: r.statement_timeout_ms ?? 10000,
    topStatements: r.top_statements ?? 10,
    dataApi: r.data_api ?? true,
    queries: (r.queries ?? []).map(toQuery),
  };
}
