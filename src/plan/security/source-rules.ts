import type { Column, Policy, Snapshot, Table } from '../../introspect/snapshot';
import type { ApiRole, Operation } from '../../spec/types';
import type { CoveredTable } from './context';

const COMMAND_OPERATIONS: Record<Policy['command'], Operation[]> = {
  r: ['select'], a: ['insert'], w: ['update'], d: ['delete'], '*': ['select', 'insert', 'update', 'delete'],
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
  const granted = new Set(grants.filter((g) => g.grantee === role || g.grantee === 'public').flatMap((g) => g.privileges.map((p) => p.toLowerCase())));
  return (['select', 'insert', 'update', 'delete'] as Operation[]).filter((op) => opened.has(op) && (!bounded || granted.has(op)));
}

// After Supabase's sensitive_columns_exposed lint: credentials, personal identifiers, payment data.
const SENSITIVE_WORDS = [
  'password', 'passwd', 'pwd', 'passphrase', 'secret', 'private_key', 'api_key', 'apikey', 'auth_key', 'token', 'jwt',
  'session_id', 'session_key', 'recovery_code', 'backup_code', 'verification_code', 'otp', 'two_factor',
  'ssn', 'social_security', 'driver_license', 'drivers_license', 'passport_number', 'national_id', 'tax_id',
  'credit_card', 'card_number', 'cvv', 'cvc', 'bank_account', 'account_number', 'routing_number', 'iban',
  'pgp_key', 'ssh_key', 'license_key', 'activation_key', 'hash', 'salt',
];
const SENSITIVE = new RegExp(`(^|_)(${SENSITIVE_WORDS.join('|')})(_|$)`, 'i');

/** A column whose name says it holds a secret or a personal identifier. */
export const isSensitiveColumn = (c: Pick<Column, 'name'>): boolean => SENSITIVE.test(c.name) || /password|passwd|secret|token/i.test(c.name);

export const sensitiveColumns = (t: Table): string[] => t.columns.filter(isSensitiveColumn).map((c) => c.name);
