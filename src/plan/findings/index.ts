import { dataFindings, destructiveFindings } from './schema';
import { targetModel, type Side } from './model';
import { indexLockFindings, policyFindings, rlsFindings } from './steps';
import type { Finding } from './types';

export type { Finding, FindingCategory, FindingSeverity } from './types';
export { FINDING_CODES } from './types';
export type { Side } from './model';
export { LARGE_TABLE_ROWS } from './steps';

/**
 * Base plan and head plan -> what the change does that a reviewer must see: data loss, changes
 * existing rows may reject, long locks, and holes in row level security. Pure and sorted.
 */
export function findFindings(base: Side, head: Side): Finding[] {
  const baseModel = targetModel(base);
  const headModel = targetModel(head);
  const all = [
    ...destructiveFindings(baseModel, headModel, head.spec),
    ...dataFindings(baseModel, headModel),
    ...indexLockFindings(base.steps, head.steps, baseModel, headModel),
    ...rlsFindings(base.steps, head.steps, baseModel, headModel, head.spec),
    ...policyFindings(base.steps, head.steps),
  ];
  return all.sort(
    (a, b) => rank(a) - rank(b) || cmp(a.code, b.code) || cmp(a.object, b.object) || cmp(a.message, b.message),
  );
}

/** Attaches counts of violating rows measured at the edge, keyed by each finding's countSql. */
export function withViolations(findings: readonly Finding[], counts: ReadonlyMap<string, number | null>): Finding[] {
  return findings.map((f) =>
    f.countSql !== undefined && counts.has(f.countSql) ? { ...f, violatingRows: counts.get(f.countSql) ?? null } : f,
  );
}

/** Destructive findings the spec does not allow: what blocks an apply. */
export const blockingDrops = (findings: readonly Finding[]): Finding[] =>
  findings.filter((f) => f.category === 'destructive' && !f.allowed);

/** Errors that block a merge first, then warnings, then drops the spec allows. */
const rank = (f: Finding) => (f.allowed ? 2 : f.severity === 'error' ? 0 : 1);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
