import { qualified } from '../../introspect/snapshot';
import { isTimestamp } from '../column-types';
import type { Pattern } from '../types';
import { firstNamed, type PatternContext } from './context';

const MEMBERSHIP_NAMES = /(member|membership|enrollment|enrolment|participant|collaborator)s?$/;
const ROLE_COLUMNS = ['role', 'role_id', 'member_role', 'access_level', 'permission'];

/** A join table between users and another entity (enrollments, members), optionally with a role. */
export function detectMemberships(ctx: PatternContext): Pattern[] {
  return ctx.snapshot.tables.flatMap((table): Pattern[] => {
    const fks = table.constraints.filter((c) => c.kind === 'f' && c.refTable !== null);
    if (fks.length !== 2) return [];
    const toUsers = fks.filter((fk) => ctx.usersTables.has(fk.refTable as string));
    if (toUsers.length !== 1) return [];
    const user = toUsers[0];
    const entity = fks.find((fk) => fk !== user) as (typeof fks)[number];
    const role = firstNamed(table, ROLE_COLUMNS);
    const named = MEMBERSHIP_NAMES.test(table.name);
    const keyColumns = new Set([...user.columns, ...entity.columns]);
    const pairIsKey = table.constraints.some(
      (c) =>
        (c.kind === 'p' || c.kind === 'u') &&
        c.columns.length === keyColumns.size &&
        c.columns.every((col) => keyColumns.has(col)),
    );
    // A narrow table (keys, role, an id and timestamps) joins; a wide one is an entity with two parents.
    const narrow = table.columns.every(
      (c) => keyColumns.has(c.name) || c.name === role?.name || c.name === 'id' || isTimestamp(c),
    );
    if (!role && !named && !narrow) return [];
    const columns = [...user.columns, ...entity.columns, ...(role ? [role.name] : [])];
    const parts = [
      `${user.columns.join(', ')} -> ${user.refTable}`,
      `${entity.columns.join(', ')} -> ${entity.refTable}`,
      role ? `role column ${role.name}` : 'no role column',
      ...(pairIsKey ? ['one row per pair'] : []),
    ];
    return [
      {
        kind: 'membership',
        table: qualified(table),
        columns,
        confidence: role || named || (narrow && pairIsKey) ? 'high' : 'medium',
        evidence: parts.join('; '),
      },
    ];
  });
}
