import type { Routine, Snapshot } from '../../introspect/snapshot';
import type { SchemaMapping } from '../../spec/types';
import type { Step } from '../types';
import { constraintSteps } from './constraints';
import { buildNameMap } from './context';
import { extensionSteps } from './extensions';
import { indexSteps } from './indexes';
import { collationSteps } from './collations';
import { rangeSteps } from './ranges';
import { textSearchConfigSteps, textSearchDictionarySteps } from './text-search';
import { rankedTopoSort, topoSort } from './order';
import { policySteps, rlsSteps } from './policies';
import { routineSteps } from './routines';
import { schemaSteps } from './schemas';
import { selectObjects } from './select';
import { sequenceOwnershipSteps, sequenceSteps } from './sequences';
import { tableStep } from './tables';
import { supabaseImportSteps, supabaseStagingSteps } from './supabase-rows';
import { triggerSteps } from './triggers';
import { compositeSteps, domainSteps, enumSteps } from './types';
import { refreshStep, viewStep } from './views';
import { moreAfterData, moreBeforeData, skippedObjects } from './more-kinds';
import { routineObject } from '../../analyze/unsupported';

export { matchesPattern, selectObjects } from './select';
export { buildNameMap } from './context';

const rel = (o: { schema: string; name: string }) => `${o.schema}.${o.name}`;

/**
 * The schema part of a plan: every selected source object re-created on the target, ordered
 * the way pg_dump sections a dump. Pre-data builds the shape, post-data adds keys, indexes,
 * foreign keys and triggers after the data, security turns on row level security. `roleOf` names
 * a policy's role on the target (the source's own roles may be mapped onto Supabase's).
 */
export function planSchema(
  source: Snapshot,
  mapping: SchemaMapping,
  roleOf: (role: string) => string = (r) => r,
): Step[] {
  const snapshot = selectObjects(source, mapping);
  const names = buildNameMap(snapshot, mapping);
  const serialColumns = mapping.typeMappings.serialToIdentity ? serialOwners(snapshot) : new Set<string>();
  const sequences = snapshot.sequences.filter((s) => s.ownedBy === null || !serialColumns.has(s.ownedBy));
  const tables = topoSort(snapshot.tables, rel, (t) => [...(t.partitionOf ? [t.partitionOf] : []), ...t.inherits]);
  const tableOptions = { jsonToJsonb: mapping.typeMappings.jsonToJsonb, serialToIdentity: serialColumns };
  const skipped = skippedObjects(snapshot);
  const objects = preDataObjects(snapshot, sequences, tables, names, tableOptions, skipped);
  const preData = [
    ...schemaSteps(snapshot.schemas, names),
    ...extensionSteps(snapshot.extensions, names.relocation),
    ...objects.beforeData,
    ...sequenceOwnershipSteps(sequences, names),
    ...supabaseStagingSteps(snapshot, mapping),
  ];
  const matviews = topoSort(snapshot.views, rel, (v) => v.dependsOn).filter((v) => v.materialized);
  const postData = [
    ...supabaseImportSteps(snapshot, mapping),
    ...tables.flatMap((t) => constraintSteps(t, names, ['p', 'u', 'x'])),
    ...objects.afterKeys,
    ...tables.flatMap((t) => indexSteps(t.schema, t.indexes, names)),
    ...matviews.flatMap((v) => indexSteps(v.schema, v.indexes, names)),
    ...tables.flatMap((t) => constraintSteps(t, names, ['f'])),
    ...tables.flatMap((t) => constraintSteps(t, names, ['c'])),
    ...triggerSteps(snapshot.triggers, names),
    // The application's triggers on auth.users / storage tables (a Supabase-native source).
    ...triggerSteps(snapshot.supabaseTriggers ?? [], names),
    ...matviews.map((v) => refreshStep(v, names)),
    ...moreAfterData(snapshot, names, skipped, new Set([...tables, ...snapshot.views].map(rel))),
  ];
  // Policies on Supabase's storage tables come from a Supabase-native source: carried as they are.
  const security = [
    ...tables.flatMap((t) => rlsSteps(t, names)),
    ...policySteps(snapshot.policies, names, roleOf),
    ...policySteps(snapshot.storagePolicies ?? [], names, roleOf),
  ];
  return [...preData, ...postData, ...security];
}

/** Where a kind goes when dependencies leave the choice open: pg_dump's order of kinds. */
const KIND_RANK = {
  server: -4,
  collation: -3,
  'ts-dictionary': -2,
  'ts-config': -1,
  enum: 0,
  range: 0,
  domain: 1,
  composite: 2,
  sequence: 3,
  function: 4,
  aggregate: 5,
  operator: 5.5,
  cast: 5.6,
  table: 6,
  'foreign-table': 6,
  view: 7,
};

interface PreDataItem {
  key: string;
  rank: number;
  deps: string[];
  build: () => Step[];
}

/**
 * Types, sequences, routines, tables and views in one order: each after what it depends on in
 * the source's catalog (the snapshot's pg_depend edges, the views' rewrite rules, partitions
 * after their parents), ties broken by kind, then name.
 */
function preDataObjects(
  snapshot: Snapshot,
  sequences: Snapshot['sequences'],
  tables: Snapshot['tables'],
  names: ReturnType<typeof buildNameMap>,
  tableOptions: Parameters<typeof tableStep>[2],
  skipped: Set<string>,
): { beforeData: Step[]; afterKeys: Step[] } {
  const catalog = new Map((snapshot.dependencies ?? []).map((d) => [d.object, d.dependsOn]));
  const item = (key: string, kind: keyof typeof KIND_RANK, deps: string[], build: () => Step[]): PreDataItem => ({
    key,
    rank: KIND_RANK[kind],
    deps: [...(catalog.get(key) ?? []), ...deps],
    build,
  });
  const routine = (r: Routine) => `${rel(r)}(${r.identityArgs})`;
  const items: PreDataItem[] = [
    ...(snapshot.collations ?? []).map((c) =>
      item(`collation:${rel(c)}`, 'collation', [], () => collationSteps([c], names)),
    ),
    ...(snapshot.textSearchDictionaries ?? []).map((d) =>
      item(`ts-dictionary:${rel(d)}`, 'ts-dictionary', [], () => textSearchDictionarySteps([d], names)),
    ),
    ...(snapshot.textSearchConfigs ?? []).map((c) =>
      item(`ts-config:${rel(c)}`, 'ts-config', [], () => textSearchConfigSteps([c], names)),
    ),
    ...snapshot.enums.map((e) => item(rel(e), 'enum', [], () => enumSteps([e], names))),
    ...(snapshot.ranges ?? []).map((r) => item(rel(r), 'range', [], () => rangeSteps([r], names))),
    ...snapshot.domains.map((d) => item(rel(d), 'domain', [], () => domainSteps([d], names))),
    ...snapshot.composites.map((c) => item(rel(c), 'composite', [], () => compositeSteps([c], names))),
    ...sequences.map((s) => item(rel(s), 'sequence', [], () => sequenceSteps([s], names))),
    ...snapshot.functions
      .filter((r) => !skipped.has(routineObject(r)))
      .map((r) =>
        item(routine(r), r.kind === 'a' ? 'aggregate' : 'function', r.dependsOn, () => routineSteps([r], names)),
      ),
    ...tables.map((t) =>
      item(rel(t), 'table', [...(t.partitionOf ? [t.partitionOf] : []), ...t.inherits], () => [
        tableStep(t, names, tableOptions),
      ]),
    ),
    ...snapshot.views.map((v) => item(rel(v), 'view', v.dependsOn, () => [viewStep(v, names)])),
    ...moreBeforeData(snapshot, names, skipped).map((m) => item(m.key, m.kind, m.deps, m.build)),
  ];
  const sorted = rankedTopoSort(
    items,
    (i) => i.key,
    (i) => i.rank,
    (i) => i.deps,
  );
  // A view grouping by a table's primary key needs that key, which post-data adds after the
  // data: it comes right after the keys, with everything that needs it, as pg_dump does.
  const late = new Set<string>();
  for (const i of sorted) if (i.deps.some((d) => d.startsWith('constraint:') || late.has(d))) late.add(i.key);
  return {
    beforeData: sorted.filter((i) => !late.has(i.key)).flatMap((i) => i.build()),
    afterKeys: sorted
      .filter((i) => late.has(i.key))
      .flatMap((i) => i.build().map((s) => Object.freeze({ ...s, phase: 'post-data' as const }))),
  };
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
