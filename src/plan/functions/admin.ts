import type { Spec } from '../../spec/types';
import type { ApiCatalog } from './catalog';
import type { AdminRule, ClassifiedOperation } from './types';

/** Users-table columns that mark an administrator in legacy schemas (FastAPI, Django, Rails). */
const ADMIN_COLUMNS = ['is_superuser', 'is_admin', 'is_staff', 'admin', 'role'];
const ANY_ROW = new Set(['select', 'get', 'update', 'delete']);

/**
 * The admin claim: the spec's users_table.app_metadata entry for such a column (the claim the
 * security plan puts in app_metadata), else the column's own name when the users table has one.
 */
export function adminClaim(
  spec: Spec,
  profile: { schema: string; table: string } | null,
  catalog: ApiCatalog,
): AdminRule | null {
  const mapped = Object.entries(spec.security.usersTable?.appMetadata ?? {}).find(([, column]) =>
    ADMIN_COLUMNS.includes(column),
  );
  if (mapped) return { claim: mapped[0], column: mapped[1] };
  const entry = profile
    ? [...catalog.bySource.values()].find((e) => e.schema === profile.schema && e.table.name === profile.table)
    : undefined;
  const column = ADMIN_COLUMNS.find((name) => entry?.table.columns.some((c) => c.name === name));
  return column ? { claim: column, column } : null;
}

/** Reads and writes of rows that belong to a user (owner pattern, or a key to the users table). */
export function adminApplies(
  op: ClassifiedOperation,
  spec: Spec,
  catalog: ApiCatalog,
  usersSource: string | null,
): boolean {
  if (!op.table || !ANY_ROW.has(op.table.operation)) return false;
  const owned = (spec.security.tables?.[op.table.source] ?? []).some((p) => p.kind === 'owner');
  const table = catalog.bySource.get(op.table.source)?.table;
  const keyed =
    usersSource !== null && (table?.constraints ?? []).some((c) => c.kind === 'f' && c.refTable === usersSource);
  return owned || keyed;
}
