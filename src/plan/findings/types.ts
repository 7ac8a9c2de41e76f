/**
 * Findings: what a reviewer should know about a change of plan, like a migration linter's
 * report. Each has a stable code, the object it concerns and the fix.
 */
export type FindingCategory = 'destructive' | 'data' | 'locking' | 'security';

export type FindingSeverity = 'error' | 'warning';

export interface Finding {
  /** Stable code: SM-D (destructive), SM-C (data-dependent), SM-L (locking), SM-S (security). */
  code: string;
  category: FindingCategory;
  severity: FindingSeverity;
  /** Target name of the object: `schema.table`, `schema.table.column`, a schema, a policy. */
  object: string;
  message: string;
  fix: string;
  /** Destructive changes the spec allows by name (evolution.allow_destructive). */
  allowed?: boolean;
  /** Source rows that would break the change, when the source was reachable; null when unknown. */
  violatingRows?: number | null;
  /** The query that counts them on the source (source names), when one can be written. */
  countSql?: string;
}

export const FINDING_CODES = {
  dropTable: 'SM-D001',
  dropColumn: 'SM-D002',
  dropSchema: 'SM-D003',
  notNullAdded: 'SM-C001',
  uniqueAdded: 'SM-C002',
  typeNarrowed: 'SM-C003',
  indexLocks: 'SM-L001',
  tableRewrite: 'SM-L002',
  tableWithoutRls: 'SM-S001',
  policyAlwaysTrue: 'SM-S002',
  policyUserMetadata: 'SM-S003',
} as const;
