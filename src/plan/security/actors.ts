import type { Column } from '../../introspect/snapshot';
import type { CoveredTable } from './context';

/** A user id no row belongs to: the "someone else" of the access checks. */
export const STRANGER = '00000000-0000-4000-8000-00000000beef';
/** The owner actor of a table no owner or membership pattern ties to a user. */
export const SOME_USER = '00000000-0000-4000-8000-00000000f00d';
const OTHER_TENANT: Record<string, string> = {
  uuid: '00000000-0000-4000-8000-00000000cafe',
  integer: '-424242',
  bigint: '-424242',
  smallint: '-4242',
};

/** A tenant value of the column's type that no row has. */
export function otherTenantValue(covered: CoveredTable, column: string): string {
  const type = covered.table.columns.find((c: Column) => c.name === column)?.type ?? 'text';
  return OTHER_TENANT[type] ?? 'another-tenant';
}

/** Columns a probing UPDATE may set to themselves. */
export const settableColumns = (covered: CoveredTable): Column[] =>
  covered.table.columns.filter((c) => c.generated === null && c.identity !== 'a');

/** Columns a probing INSERT copies: defaults give fresh keys, except where a pattern decides. */
export function insertColumns(covered: CoveredTable): string[] {
  const decisive = new Set(
    covered.patterns.flatMap((p) =>
      p.kind === 'owner' || p.kind === 'tenant' ? [p.column] : p.kind === 'membership' ? [p.key] : [],
    ),
  );
  return settableColumns(covered)
    .filter((c) => (c.default === null && c.identity === null) || decisive.has(c.name))
    .map((c) => c.name);
}
