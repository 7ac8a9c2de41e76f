import type { Snapshot } from '../../introspect/snapshot';
import type { SchemaMapping } from '../../spec/types';
import { buildNameMap } from './context';
import { selectObjects } from './select';

/** What the plan's summary says about names: schemas renamed, extensions moved or kept (pure, sorted). */
export function namesSummary(snapshot: Snapshot, mapping: SchemaMapping): string[] {
  const selected = selectObjects(snapshot, mapping);
  const { relocation } = buildNameMap(selected, mapping);
  const renamed = selected.schemas
    .filter((s) => mapping.renameSchemas[s.name] !== undefined)
    .map((s) => `renamed schema ${s.name} -> ${mapping.renameSchemas[s.name]}`);
  const moved = selected.extensions
    .filter((e) => e.schema !== relocation.schemaOf.get(e.name))
    .map((e) => `${e.name} (${e.schema})`);
  const kept = relocation.kept.map(
    (k) => `extension ${k.extension} stays in ${k.schema} (extension_in_public carried): ${k.reason}`,
  );
  return [
    ...renamed.sort(),
    ...(moved.length > 0 ? [`moved to extensions, every reference rewritten: ${moved.sort().join(', ')}`] : []),
    ...kept,
  ];
}
