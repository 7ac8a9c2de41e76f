import type { PerformanceSpec } from '../../spec/performance';
import type { WorkloadQuery } from './types';

/** The spec's named queries; claims are one level deep (`sub`, `tenant_id`), the role claim added. */
export function specWorkload(perf: PerformanceSpec): WorkloadQuery[] {
  return perf.queries.map((q) => {
    const api = q.as.role === 'anon' || q.as.role === 'authenticated';
    const claims = Object.entries(q.as.claims).map(([k, v]) => ({ path: [k], value: v }));
    const withRole =
      api && !('role' in q.as.claims) ? [{ path: ['role'], value: { constant: q.as.role } }, ...claims] : claims;
    return {
      name: q.name,
      origin: 'spec',
      sql: q.sql,
      sourceSql: q.sql,
      params: q.params,
      role: q.as.role,
      claims: withRole,
      writes: q.writes,
    };
  });
}
