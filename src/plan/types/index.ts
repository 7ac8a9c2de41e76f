import type { Routine, Snapshot } from '../../introspect/snapshot';
import { UserError } from '../../errors';
import type { Spec } from '../../spec/types';
import { buildNameMap } from '../schema/context';
import { selectObjects } from '../schema/select';
import type { GeneratedFile } from '../types';
import { callable, computedField, enumEntry, functionEntry, isComputedFieldOf, sortOverloads } from './functions';
import { helperTypes } from './helpers';
import { array, expanded, key, type Line, printLines, str } from './layout';
import { nullable, tsType, typeRefOf, type TypeScope } from './pg-types';
import { byName, tableEntry, viewEntry } from './relations';
import { relationships, type Relationship } from './relationships';
import { planValidation } from './validation';
import { viewWrites } from './view-writes';
import { planZod } from './zod';

export const DEFAULT_TYPES_OUTPUT = 'supabase/types/database.types.ts';

const JSON_TYPE = `export type Json =
  | string
  | number
  | boolean
  | null
  | { [key: string]: Json | undefined }
  | Json[]
`;

const EMPTY = ['[_ in never]: never'];

/**
 * database.types.ts as Supabase's generator (postgres-meta) prints it for the migrated target,
 * computed from the snapshot alone so that it is part of the reviewed plan. Pure.
 */
export function planTypes(snapshot: Snapshot, spec: Spec): GeneratedFile {
  const selected = selectObjects(snapshot, spec.schema);
  const names = buildNameMap(snapshot, spec.schema);
  const schemas = exposedSchemas(selected, spec, names.schema);
  const scope: TypeScope = { exposed: new Set(schemas), snapshot: selected, schemaOf: names.schema };
  const rels = relationships(selected, names.schema, scope.exposed);
  const body = schemas.map((s) => schemaEntry(s, selected, rels, scope));
  const database = expanded('export type Database = ', body);
  const constants = expanded(
    'export const Constants = ',
    schemas.map((s) => constantsEntry(s, selected, scope)),
    ' as const',
  );
  const content = [JSON_TYPE, printLines(database), '', helperTypes('public') + printLines(constants), ''].join('\n');
  return { path: typesOutput(spec), content };
}

/** Every file the types section of the spec asks for: the types, and validation schemas if set. */
export function planTypeFiles(snapshot: Snapshot, spec: Spec): GeneratedFile[] {
  const validation = planValidation(snapshot, spec) ?? planZod(snapshot, spec);
  return validation === null ? [planTypes(snapshot, spec)] : [planTypes(snapshot, spec), validation];
}

/** The schemas database.types.ts describes for this snapshot and spec, sorted. */
export function typesSchemas(snapshot: Snapshot, spec: Spec): string[] {
  return exposedSchemas(selectObjects(snapshot, spec.schema), spec, buildNameMap(snapshot, spec.schema).schema);
}

function typesOutput(spec: Spec): string {
  return spec.types.output ?? DEFAULT_TYPES_OUTPUT;
}

/**
 * The schemas the file describes: the spec's list, or the migrated schemas and public. A listed
 * schema the migration does not create (Supabase's own, or a typo) has contents the plan cannot
 * know, so it is refused rather than printed empty.
 */
function exposedSchemas(selected: Snapshot, spec: Spec, schemaOf: (s: string) => string): string[] {
  const created = [...new Set([...selected.schemas.map((s) => schemaOf(s.name)), 'public'])].sort((a, b) =>
    new Intl.Collator('en').compare(a, b),
  );
  const unknown = (spec.types.schemas ?? []).filter((s) => !created.includes(s));
  if (unknown.length > 0) {
    throw new UserError(
      `${spec.file}: types.schemas lists ${unknown.map((s) => JSON.stringify(s)).join(', ')}, which this migration does not create, so its types cannot be planned`,
      `list only schemas the migration creates (${created.join(', ')}); for Supabase's own schemas run \`supabase gen types typescript --schema ${unknown.join(',')}\` against the project`,
    );
  }
  const names = spec.types.schemas ?? created;
  return [...new Set(names)].sort((a, b) => new Intl.Collator('en').compare(a, b));
}

/** Items by key, each group in the items' order (one array per key, not a copy per item). */
function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const group = out.get(keyOf(item));
    if (group) group.push(item);
    else out.set(keyOf(item), [item]);
  }
  return out;
}

const inSchema = (schema: string, scope: TypeScope) => (o: { schema: string }) => scope.schemaOf(o.schema) === schema;

function schemaEntry(schema: string, snap: Snapshot, rels: Relationship[], scope: TypeScope): Line[] {
  const here = inSchema(schema, scope);
  const grouped = groupBy(
    rels.filter((r) => r.schema === schema && r.referencedSchema === schema),
    (r) => r.relation,
  );
  const relsOf = (name: string) => grouped.get(name) ?? [];
  const byFn = groupBy(
    snap.functions.filter(here).filter((f) => callable(f, snap)),
    (f) => f.name,
  );
  const fnNames = [...byFn.keys()].sort((a, b) => new Intl.Collator('en').compare(a, b));
  const callables = fnNames.flatMap((n) => sortOverloads(byFn.get(n) as Routine[]));
  const computed = (r: { schema: string; name: string }) =>
    callables.filter((f) => isComputedFieldOf(f, r)).map((f) => computedField(f, scope));
  const tables = snap.tables
    .filter(here)
    .sort(byName)
    .map((t) => tableEntry(t, relsOf(t.name), computed(t), scope));
  const views = snap.views
    .filter(here)
    .sort(byName)
    .map((v) => viewEntry(v, viewWrites(v), relsOf(v.name), computed(v), scope));
  const functions = fnNames.map((n) => functionEntry(schema, n, byFn.get(n) as Routine[], scope));
  const enums = snap.enums
    .filter(here)
    .sort(byName)
    .map((e) => enumEntry(e.name, e.values));
  const composites = snap.composites
    .filter(here)
    .sort(byName)
    .map((c) =>
      expanded(
        `${key(c.name)}: `,
        c.attributes.map((a) => [`${key(a.name)}: ${nullable(tsType(typeRefOf(a.type), scope), true)}`]),
      ),
    );
  const section = (name: string, entries: Line[][]) => expanded(`${name}: `, entries.length === 0 ? [EMPTY] : entries);
  return expanded(`${key(schema)}: `, [
    section('Tables', tables),
    section('Views', views),
    section('Functions', functions),
    section('Enums', enums),
    section('CompositeTypes', composites),
  ]);
}

function constantsEntry(schema: string, snap: Snapshot, scope: TypeScope): Line[] {
  const enums = snap.enums.filter(inSchema(schema, scope)).sort(byName);
  const entries = enums.map((e) =>
    array(
      6,
      `${key(e.name)}: `,
      e.values.map((v) => str(v)),
      ',',
    ),
  );
  return expanded(`${key(schema)}: `, [expanded('Enums: ', entries, ',')], ',');
}
