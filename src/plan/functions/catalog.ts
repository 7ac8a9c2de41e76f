import type { Column, Routine, Snapshot, Table } from '../../introspect/snapshot';
import type { Spec } from '../../spec/types';
import { buildNameMap } from '../schema/context';
import { selectObjects } from '../schema/select';
import type { ScalarType } from './types';
import { exposedSchemas } from '../../spec/exposed';

/** What classification looks things up in: the migrated tables and functions, by target name. */
export interface ApiCatalog {
  /** Source `schema.table` -> table, for declared mappings (the spec uses source names). */
  bySource: Map<string, { table: Table; schema: string }>;
  /** Tables in exposed schemas by bare name, for inference from paths. */
  exposedByName: Map<string, { table: Table; schema: string }>;
  /** Target `schema.name` -> function (first overload). */
  functions: Map<string, Routine>;
  /** Functions in exposed schemas by bare name. */
  exposedFunctions: Map<string, { routine: Routine; schema: string }>;
  /** Every source table, migrated or not, to tell "not migrated" from "does not exist". */
  allSource: Set<string>;
}

export function apiCatalog(snapshot: Snapshot, spec: Spec): ApiCatalog {
  const selected = selectObjects(snapshot, spec.schema);
  const names = buildNameMap(snapshot, spec.schema);
  const exposed = new Set(exposedSchemas(spec));
  const bySource = new Map<string, { table: Table; schema: string }>();
  const exposedByName = new Map<string, { table: Table; schema: string }>();
  const sorted = [...selected.tables].sort(
    (a, b) =>
      (a.schema === 'public' ? -1 : 0) - (b.schema === 'public' ? -1 : 0) ||
      (a.schema < b.schema ? -1 : a.schema > b.schema ? 1 : a.name < b.name ? -1 : 1),
  );
  for (const table of sorted) {
    const entry = { table, schema: names.schema(table.schema) };
    bySource.set(`${table.schema}.${table.name}`, entry);
    if (exposed.has(entry.schema) && !exposedByName.has(table.name)) exposedByName.set(table.name, entry);
  }
  const functions = new Map<string, Routine>();
  const exposedFunctions = new Map<string, { routine: Routine; schema: string }>();
  for (const routine of [...selected.functions].sort((a, b) => (a.identityArgs < b.identityArgs ? -1 : 1))) {
    if (routine.kind !== 'f' || routine.returns === 'trigger') continue;
    const schema = names.schema(routine.schema);
    if (!functions.has(`${schema}.${routine.name}`)) functions.set(`${schema}.${routine.name}`, routine);
    if (exposed.has(schema) && !exposedFunctions.has(routine.name))
      exposedFunctions.set(routine.name, { routine, schema });
  }
  return {
    bySource,
    exposedByName,
    functions,
    exposedFunctions,
    allSource: new Set(snapshot.tables.map((t) => `${t.schema}.${t.name}`)),
  };
}

const NUMBER_TYPES = new Set([
  'int2',
  'int4',
  'int8',
  'float4',
  'float8',
  'numeric',
  'smallint',
  'integer',
  'bigint',
  'real',
  'double precision',
]);

/** Types database.types.ts prints as plain `string` (enums and domains print otherwise). */
const STRING_TYPES = new Set([
  'text',
  'varchar',
  'character varying',
  'bpchar',
  'character',
  'char',
  'name',
  'citext',
  'uuid',
  'date',
  'time',
  'timetz',
  'timestamp',
  'timestamptz',
  'timestamp with time zone',
  'timestamp without time zone',
  'interval',
  'bytea',
  'inet',
  'cidr',
  'macaddr',
]);

/** The TypeScript type database.types.ts gives a column or argument type. */
export function scalarOf(typeName: string, isArray = false): ScalarType {
  if (isArray || typeName.endsWith('[]')) return 'other';
  const base = typeName.replace(/\(.*\)$/, '').trim();
  if (NUMBER_TYPES.has(base) || base.startsWith('numeric')) return 'number';
  if (base === 'bool' || base === 'boolean') return 'boolean';
  return STRING_TYPES.has(base) ? 'string' : 'other';
}

export function columnScalar(column: Column): ScalarType {
  return scalarOf(column.typeName, column.isArray);
}

export function primaryKey(table: Table): Column[] {
  const pk = table.constraints.find((c) => c.kind === 'p');
  return pk
    ? pk.columns.map((name) => table.columns.find((c) => c.name === name)).filter((c): c is Column => c !== undefined)
    : [];
}
