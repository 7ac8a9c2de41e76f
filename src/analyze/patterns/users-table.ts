import { qualified, type Snapshot } from '../../introspect/snapshot';
import type { Pattern } from '../types';
import { firstNamed } from './context';

const USER_TABLE_NAMES = ['users', 'user', 'accounts', 'account', 'profiles', 'profile', 'app_users'];
const EMAIL_COLUMNS = ['email', 'email_address'];
const PASSWORD_COLUMNS = ['encrypted_password', 'hashed_password', 'password', 'password_hash', 'passwd'];

/** Tables that look like the application's user list: named like users, or holding email + password. */
export function detectUsersTables(snapshot: Snapshot): Pattern[] {
  return snapshot.tables.flatMap((table): Pattern[] => {
    const email = firstNamed(table, EMAIL_COLUMNS);
    const password = firstNamed(table, PASSWORD_COLUMNS);
    const named = USER_TABLE_NAMES.includes(table.name);
    const base = { kind: 'users-table' as const, table: qualified(table) };
    if (named && email) {
      return [
        {
          ...base,
          columns: [email.name],
          confidence: 'high',
          evidence: `table named ${table.name} with column ${email.name}`,
        },
      ];
    }
    if (email && password) {
      const columns = [email.name, password.name];
      return [{ ...base, columns, confidence: 'medium', evidence: `columns ${email.name} and ${password.name}` }];
    }
    if (named) {
      return [{ ...base, columns: [], confidence: 'low', evidence: `table named ${table.name}, but no email column` }];
    }
    return [];
  });
}
