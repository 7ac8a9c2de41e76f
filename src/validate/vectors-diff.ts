import type { Snapshot } from '../introspect/snapshot';
import { planVectors } from '../plan/vectors';
import { identityArgs, matchFunctionName } from '../plan/vectors/match-function';
import { indexName } from '../plan/vectors/index-step';
import type { Spec } from '../spec/types';
import type { SchemaDifference } from '../compare/schema';

/**
 * The source as the vector plan maps it (converted columns typed extensions.vector(N), their
 * length checks gone), so schema parity compares like with like; introspection I/O stays with
 * the caller.
 */
export function withPlannedVectors(source: Snapshot, spec: Spec): Snapshot {
  return planVectors(source, spec).schemaSnapshot;
}

/** Drops exactly the objects the vector plan adds on purpose: its indexes and match functions. */
export function withoutPlannedVectors(
  differences: SchemaDifference[],
  source: Snapshot,
  spec: Spec,
): SchemaDifference[] {
  const { columns } = planVectors(source, spec);
  if (columns.length === 0) return differences;
  const added = new Set(
    columns.flatMap((v) => [
      `index ${v.targetSchema}.${v.table.name}.${indexName(v)}`,
      `function ${v.targetSchema}.${matchFunctionName(v, columns)}(${identityArgs(v)})`,
    ]),
  );
  return differences.filter((d) => !(d.kind === 'unexpected' && added.has(d.object)));
}
