import type { Snapshot, Table } from '../introspect/snapshot';

/**
 * A column of the users table that says who is an administrator: a boolean flag
 * (`is_superuser`, `is_admin`, `is_staff`) or a role column (`role`, enum or text). The plan copies
 * it into `app_metadata` when it seeds auth.users, so the JWT carries it and the role pattern
 * ("admin sees all") reads it from there.
 */
export interface AdminRole {
  /** The users table column. */
  column: string;
  /** The app_metadata key the column is copied to. */
  claim: string;
  /** The claim's values that mean "administrator" (as text: `true` for a boolean flag). */
  values: string[];
  /** False when the values are a guess (a text column: nothing lists its values). */
  certain: boolean;
  why: string;
}

const FLAG_COLUMNS = ['is_superuser', 'is_admin', 'is_staff', 'superuser', 'admin', 'is_super_admin'];
export const ROLE_COLUMNS = ['role', 'user_role', 'app_role'];
const ADMIN_LABEL = /admin|superuser|staff|owner/i;

function roleColumn(snapshot: Snapshot, users: Table): AdminRole | null {
  const col = users.columns.find((c) => ROLE_COLUMNS.includes(c.name));
  if (!col || col.isArray) return null;
  const en = snapshot.enums.find((e) => e.schema === col.typeSchema && e.name === col.typeName);
  if (en) {
    const values = en.values.filter((v) => ADMIN_LABEL.test(v));
    if (values.length === 0) return null;
    return {
      column: col.name,
      claim: 'role',
      values,
      certain: true,
      why: `${col.name} is the enum ${en.name}; ${values.join(', ')} administer`,
    };
  }
  if (!['text', 'varchar'].includes(col.typeName)) return null;
  const why = `${col.name} is ${col.typeName}: nothing lists its values, so 'admin' is a guess to check`;
  return { column: col.name, claim: 'role', values: ['admin'], certain: false, why };
}

/** The role column wins over a flag: it can say more than yes or no. */
export function detectAdminRole(snapshot: Snapshot, users: Table | undefined): AdminRole | null {
  if (!users) return null;
  const role = roleColumn(snapshot, users);
  if (role) return role;
  const flag = FLAG_COLUMNS.map((n) => users.columns.find((c) => c.name === n && c.typeName === 'bool')).find((c) => c);
  if (!flag) return null;
  return {
    column: flag.name,
    claim: flag.name,
    values: ['true'],
    certain: true,
    why: `boolean ${flag.name} on the users table`,
  };
}
