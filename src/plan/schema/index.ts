import type { Routine, Snapshot, View } from '../../introspect/snapshot';
import type { SchemaMapping } from '../../spec/types';
import type { Step } from '../types';
import { constraintSteps } from './constraints';
import { buildNameMap } from './context';
import { extensionSteps } from './extensions';
import { indexSteps } from './indexes';
import { topoSort } from './order';
import { policySteps, rlsSteps } from './policies';
import { routineSteps } from './routines';
import { schemaSteps } from './schemas';
import { selectObjects } from './select';
import { sequenceOwnershipSteps, sequenceSteps } from './sequences';
import { tableStep } from './tables';
import { triggerSteps } from './triggers';
import { compositeSteps, domainSteps, enumSteps } from './types';
import { refreshStep, viewStep } from './views';

export { matchesPattern, selectObjects } from './select';
export { buildNameMap } from './context';

const rel = (o: { schema: string; name: string }) => `${o.schema}.${o.name}`;

/**
 * The schema part of a plan: every selected source object re-created on the target, ordered
 * the way pg_dump sections a dump. Pre-data builds the shape, post-data adds keys, indexes,
 * foreign keys and triggers after the data, security turns on row level security.
 */
export function planSchema(source: Snapshot, mapping: SchemaMapping): Step[] {
  const snapshot = selectObjects(source, mapping);
  const names = buildNameMap(snapshot, mapping);
  const serialColumns = mapping.typeMappings.serialToIdentity ? serialOwners(snapshot) : new Set<string>();
  const sequences = snapshot.sequences.filter((s) => s.ownedBy === null || !serialColumns.has(s.ownedBy));
  const tables = topoSort(snapshot.tables, rel, (t) => [...(t.partitionOf ? [t.partitionOf] : []), ...t.inherits]);
  const relations = new Set([...snapshot.tables, ...snapshot.views].map(rel));
  const functions = snapshot.functions.filter((f) => f.kind !== 'a');
  const early = functions.filter((f) => !f.dependsOn.some((d) => relations.has(d)));
  const late = functions.filter((f) => f.dependsOn.some((d) => relations.has(d)));
  // Aggregates name their state functions, so they come after every function.
  const aggregates = snapshot.functions.filter((f) => f.kind === 'a');
  const tableOptions = { jsonToJsonb: mapping.typeMappings.jsonToJsonb, serialToIdentity: serialColumns };

  const preData = [
    ...schemaSteps(snapshot.schemas, names),
    ...extensionSteps(snapshot.extensions, names.relocation),
    ...enumSteps(snapshot.enums, names),
    ...domainSteps(snapshot.domains, names),
    ...compositeSteps(snapshot.composites, names),
    ...sequenceSteps(sequences, names),
    ...routineSteps(early, names),
    ...tables.map((t) => tableStep(t, names, tableOptions)),
    ...sequenceOwnershipSteps(sequences, names),
    ...relationDependents(snapshot.views, late, names),
    ...routineSteps(aggregates, names),
  ];
  const matviews = topoSort(snapshot.views, rel, (v) => v.dependsOn).filter((v) => v.materialized);
  const postData = [
    ...tables.flatMap((t) => constraintSteps(t, names, ['p', 'u', 'x'])),
    ...tables.flatMap((t) => indexSteps(t.schema, t.indexes, names)),
    ...matviews.flatMap((v) => indexSteps(v.schema, v.indexes, names)),
    ...tables.flatMap((t) => constraintSteps(t, names, ['f'])),
    ...tables.flatMap((t) => constraintSteps(t, names, ['c'])),
    ...triggerSteps(snapshot.triggers, names),
    ...matviews.map((v) => refreshStep(v, names)),
  ];
  // Policies on Supabase's storage tables come from a Supabase-native source: carried as they are.
  const security = [...tables.flatMap((t) => rlsSteps(t, names)), ...policySteps(snapshot.policies, names), ...policySteps(snapshot.storagePolicies ?? [], names)];
  return [...preData, ...postData, ...security];
}

/** Views and the functions that read relations, in one dependency order. */
function relationDependents(views: View[], routines: Routine[], names: ReturnType<typeof buildNameMap>): Step[] {
  type Item = { key: string; deps: string[]; build: () => Step[] };
  const items: Item[] = [
    ...views.map((v) => ({ key: rel(v), deps: v.dependsOn, build: () => [viewStep(v, names)] })),
    ...routines.map((r) => ({ key: `${rel(r)}(${r.identityArgs})`, deps: r.dependsOn, build: () => routineSteps([r], names) })),
  ];
  return topoSort(items, (i) => i.key, (i) => i.deps).flatMap((i) => i.build());
}

/** Columns whose default draws from a sequence they own: what `serial` leaves in the catalog. */
function serialOwners(snapshot: Snapshot): Set<string> {
  const owned = new Set<string>();
  for (const s of snapshot.sequences) {
    if (s.ownedBy === null) continue;
    const table = snapshot.tables.find((t) => s.ownedBy?.startsWith(`${rel(t)}.`));
    const column = table?.columns.find((c) => `${rel(table)}.${c.name}` === s.ownedBy);
    if (column?.default?.includes('nextval(') && column.default.includes(s.name)) owned.add(s.ownedBy);
  }
  return owned;
}

