import { qualified, type Column, type Snapshot, type Table } from '../introspect/snapshot';

// The words Supabase's advisor (sensitive_columns_exposed) looks for in column names.
export const ADVISOR_SENSITIVE_WORDS = [
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'secret',
  'private_key',
  'api_key',
  'apikey',
  'auth_key',
  'token',
  'jwt',
  'session_id',
  'session_key',
  'recovery_code',
  'backup_code',
  'verification_code',
  'otp',
  'two_factor',
  'ssn',
  'social_security',
  'driver_license',
  'drivers_license',
  'passport_number',
  'national_id',
  'tax_id',
  'credit_card',
  'card_number',
  'cvv',
  'cvc',
  'bank_account',
  'account_number',
  'routing_number',
  'iban',
  'swift_code',
  'pgp_key',
  'ssh_key',
  'license_key',
  'activation_key',
];
// analyze also flags hashes and salts: a password hash is as much a secret as the password.
const SENSITIVE_WORDS = [...ADVISOR_SENSITIVE_WORDS, 'hash', 'salt'];
const SENSITIVE = new RegExp(`(^|_)(${SENSITIVE_WORDS.join('|')})(_|$)`, 'i');

/**
 * A column whose name says it holds a secret or a personal identifier. Wider than the advisor's
 * words: stored credentials (danbooru's site_credentials.credential) are secrets too.
 */
export const isSensitiveColumn = (c: Pick<Column, 'name'>): boolean =>
  SENSITIVE.test(c.name) || /password|passwd|secret|token|credential/i.test(c.name);

export const sensitiveColumns = (t: Table): string[] => t.columns.filter(isSensitiveColumn).map((c) => c.name);

/** `schema.table: col, col` for every table holding columns that look like secrets, sorted. */
export function sensitiveReport(snapshot: Snapshot): string[] {
  return snapshot.tables
    .map((t) => [qualified(t), sensitiveColumns(t)] as const)
    .filter(([, cols]) => cols.length > 0)
    .map(([t, cols]) => `${t}: ${cols.join(', ')}`)
    .sort();
}
