import type { Snapshot, Table } from '../../introspect/snapshot';
import { buildNameMap, selectObjects } from '../schema';
import type { SecurityPattern, Spec } from '../../spec/types';
import { qname } from '../../sql';
import { helperSchemaFor } from './helper-schema';
import { exposedSchemas } from '../../spec/exposed';

/** One table the security plan governs: its source shape, target name and patterns. */
export interface CoveredTable {
  /** Source `schema.table`, the key the spec uses. */
  key: string;
  table: Table;
  /** Target schema (after renames). */
  schema: string;
  /** Quoted target name. */
  sql: string;
  patterns: SecurityPattern[];
  /**
   * The source had row level security on this table and the spec does not name it: the source's
   * own policies are carried and decide who reaches its rows; no pattern is planned for it.
   */
  carried: boolean;
  /** Schema of the role helper function (`private` unless the source has a schema of that name). */
  helperSchema?: string;
}

export interface SecurityContext {
  snapshot: Snapshot;
  spec: Spec;
  tables: CoveredTable[];
  /** Target schema of a source schema. */
  schemaOf(source: string): string;
  findTable(key: string): Table | undefined;
  /** Schema of the role helper function: one the source does not have. */
  helperSchema: string;
}

export const tableKey = (t: { schema: string; name: string }): string => `${t.schema}.${t.name}`;

/**
 * Which tables the plan covers: every selected table in an exposed schema (default deny, with or
 * without a `security:` section), plus any table the spec names.
 */
export function securityContext(source: Snapshot, spec: Spec): SecurityContext {
  const snapshot = selectObjects(source, spec.schema);
  const names = buildNameMap(snapshot, spec.schema);
  const patterns = spec.security.tables ?? {};
  const exposed = new Set(exposedSchemas(spec));
  const helperSchema = helperSchemaFor(source, names.schema);
  const tables = snapshot.tables
    .filter((t) => exposed.has(names.schema(t.schema)) || tableKey(t) in patterns)
    .map((t) => ({
      key: tableKey(t),
      table: t,
      schema: names.schema(t.schema),
      sql: qname(names.schema(t.schema), t.name),
      patterns: patterns[tableKey(t)] ?? [],
      carried: t.rlsEnabled && !(tableKey(t) in patterns),
      helperSchema,
    }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const byKey = new Map(snapshot.tables.map((t) => [tableKey(t), t]));
  return { snapshot, spec, tables, schemaOf: names.schema, findTable: (key) => byKey.get(key), helperSchema };
}
