import type { Snapshot } from '../../introspect/snapshot';
import { HELPER_SCHEMA } from './conditions';

/**
 * The schema the security helper lives in: `private`, unless the source already has a schema of
 * that name (before or after the spec's renames). The helper must not land among the source's
 * own objects, so the first of `private_rls`, `private_rls_2`, ... that the source lacks is used.
 */
export function helperSchemaFor(source: Snapshot, schemaOf: (name: string) => string): string {
  const taken = new Set(source.schemas.flatMap((s) => [s.name, schemaOf(s.name)]));
  if (!taken.has(HELPER_SCHEMA)) return HELPER_SCHEMA;
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? `${HELPER_SCHEMA}_rls` : `${HELPER_SCHEMA}_rls_${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
