import { qualified, type Table } from '../../introspect/snapshot';
import { isUuid } from '../column-types';
import type { Pattern } from '../types';
import { eachColumn, referenceOf, type PatternContext } from './context';

export const OWNER_COLUMNS = [
  'user_id',
  'owner_id',
  'author_id',
  'created_by',
  'creator_id',
  'student_id',
  'teacher_id',
  'instructor_id',
  'uploaded_by',
  'profile_id',
  'member_id',
  'customer_id',
];

/** The table's only user column: its one foreign key to users, and no column named like an owner. */
function soleUserColumn(ctx: PatternContext, table: Table): boolean {
  const toUsers = table.columns.filter((c) => ctx.usersTables.has(referenceOf(ctx, table, c) ?? ''));
  const ownerNamed = table.columns.some((c) => OWNER_COLUMNS.includes(c.name));
  return toUsers.length === 1 && !ownerNamed && !ctx.usersTables.has(qualified(table));
}

/**
 * Owner columns tie a row to one user: the basis of "users see their own rows" policies.
 * Named like an owner and referencing the users table is certain; a uuid named like one
 * (users often live in another service) is likely; the one reference a table has to users is
 * likely whatever its name (`items.owner`), unless another column is named like an owner; one of
 * several (sender, recipient) is only possible.
 */
export function detectOwners(ctx: PatternContext): Pattern[] {
  return eachColumn(ctx.snapshot).flatMap(({ table, column }): Pattern[] => {
    const target = referenceOf(ctx, table, column);
    const named = OWNER_COLUMNS.includes(column.name);
    const toUsers = target !== undefined && ctx.usersTables.has(target);
    const base = { kind: 'owner' as const, table: qualified(table), columns: [column.name] };
    if (named && toUsers) return [{ ...base, confidence: 'high', evidence: `${column.name} -> ${target}` }];
    if (named && target === undefined && isUuid(column)) {
      const composite = ctx.compositeKeyColumns.has(`${base.table}.${column.name}`);
      const why = composite ? 'only part of a composite foreign key' : 'without a foreign key';
      return [{ ...base, confidence: 'medium', evidence: `uuid column ${column.name} ${why}` }];
    }
    if (toUsers && soleUserColumn(ctx, table)) {
      return [
        { ...base, confidence: 'medium', evidence: `${column.name} -> ${target}, the table's one reference to users` },
      ];
    }
    if (toUsers)
      return [{ ...base, confidence: 'low', evidence: `${column.name} -> ${target}, not named like an owner` }];
    return [];
  });
}
