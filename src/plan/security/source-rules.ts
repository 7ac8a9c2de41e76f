import type { Policy, Snapshot, Table } from '../../introspect/snapshot';
import type { ApiRole, Operation } from '../../spec/types';
import type { CoveredTable } from './context';

const COMMAND_OPERATIONS: Record<Policy['command'], Operation[]> = {
  r: ['select'],
  a: ['insert'],
  w: ['update'],
  d: ['delete'],
  '*': ['select', 'insert', 'update', 'delete'],
};
const API_GRANTEES = new Set(['public', 'anon', 'authenticated']);

/** The source's policies on one table (source names). */
export function sourcePolicies(snapshot: Snapshot, table: Table): Policy[] {
  return snapshot.policies.filter((p) => p.schema === table.schema && p.table === table.name);
}

/**
 * What a table whose rules are carried from the source lets a role do: the operations some
 * permissive source policy opens to that role (or to PUBLIC), never more than the source granted.
 * Grants are an upper bound, not an intent: Supabase grants everything to anon and authenticated
 * and lets RLS decide. A source that granted the API roles nothing at all (a migration set loaded
 * without Supabase's default privileges) is bounded by its policies alone.
 */
export function carriedOperations(snapshot: Snapshot, covered: CoveredTable, role: ApiRole): Operation[] {
  const opened = new Set(
    sourcePolicies(snapshot, covered.table)
      .filter((p) => p.permissive && p.roles.some((r) => r === role || r === 'public'))
      .flatMap((p) => COMMAND_OPERATIONS[p.command]),
  );
  const grants = covered.table.grants.filter((g) => API_GRANTEES.has(g.grantee));
  const bounded = grants.length > 0;
  const granted = new Set(
    grants
      .filter((g) => g.grantee === role || g.grantee === 'public')
      .flatMap((g) => g.privileges.map((p) => p.toLowerCase())),
  );
  return (['select', 'insert', 'update', 'delete'] as Operation[]).filter(
    (op) => opened.has(op) && (!bounded || granted.has(op)),
  );
}

// After Supabase's sensitive_columns_exposed lint: credentials, personal identifiers, payment data.
export { isSensitiveColumn, sensitiveColumns } from '../../analyze/sensitive';
