import type { PerformanceRole, ValuePick } from '../../spec/performance';

/** Where a value comes from: picked from the source's data (sampled once), or a fixed constant. */
export type ValueSource = ValuePick | { constant: string };

/** One claim of the JWT PostgREST would set, at its path (`["app_metadata", "tenant_id"]`). */
export interface ClaimSource {
  path: string[];
  value: ValueSource;
}

/** A query of the workload, before its values are sampled. */
export interface WorkloadQuery {
  name: string;
  origin: 'data_api' | 'statements' | 'spec';
  /** What runs on the target, as the role, with the claims. */
  sql: string;
  /** What runs on the source: the same query, the role's policy written as a plain WHERE. */
  sourceSql: string;
  /** One per $n of both texts. */
  params: ValueSource[];
  role: PerformanceRole;
  claims: ClaimSource[];
  writes: boolean;
}

/** A query whose values are known: they never leave the process except into the state folder. */
export interface ResolvedQuery extends WorkloadQuery {
  values: string[];
  claimsJson: string | null;
}
