import { qualified, type Snapshot } from '../../introspect/snapshot';
import type { Risk } from '../types';

/**
 * Splits risks into those of migrated objects and those of objects the spec leaves out. A risk is
 * left out when every object it names (`schema.name`, `schema.name.column`, `schema.fn(args)`, a
 * cycle's `a, b`) is a table, view or routine of the source that the selection dropped, or sits in a
 * schema the selection dropped. Risks that name no such object (extensions, roles) stay.
 */
export function splitExcluded(risks: Risk[], all: Snapshot, selected: Snapshot): { kept: Risk[]; excluded: Risk[] } {
  const keptNames = new Set([...selected.tables, ...selected.views, ...selected.functions].map(qualified));
  const dropped = new Set(
    [...all.tables, ...all.views, ...all.functions].map(qualified).filter((n) => !keptNames.has(n)),
  );
  const keptSchemas = new Set(selected.schemas.map((s) => s.name));
  const droppedSchemas = new Set(all.schemas.map((s) => s.name).filter((s) => !keptSchemas.has(s)));
  const isDropped = (object: string): boolean => {
    const [schema, name] = object.split('(')[0].split('.');
    return name !== undefined && (droppedSchemas.has(schema) || dropped.has(`${schema}.${name}`));
  };
  const out = { kept: [] as Risk[], excluded: [] as Risk[] };
  for (const r of risks) (r.object.split(', ').every(isDropped) ? out.excluded : out.kept).push(r);
  return out;
}
