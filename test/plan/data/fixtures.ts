import type { Column, Constraint, Snapshot, Table } from '../../../src/introspect/snapshot';

export function column(name: string, position: number, type = 'integer', extra: Partial<Column> = {}): Column {
  return {
    name, position, type, typeSchema: 'pg_catalog', typeName: type, isArray: false, notNull: false, default: null,
    identity: null, identitySequence: null, generated: null, collation: null, comment: null, ...extra,
  };
}

export function constraint(name: string, kind: Constraint['kind'], columns: string[], refTable: string | null = null): Constraint {
  return { name, kind, definition: '', columns, refTable, refColumns: refTable ? ['id'] : [], validated: true, deferrable: false, comment: null };
}

export function table(schema: string, name: string, columns: Column[], constraints: Constraint[] = [], extra: Partial<Table> = {}): Table {
  return {
    schema, name, kind: 'r', columns, constraints, indexes: [], partitionOf: null, partitionBound: null, partitionKey: null,
    inherits: [], rlsEnabled: false, rlsForced: false, replicaIdentity: 'd', owner: 'postgres', estimatedRows: 10, sizeBytes: 8192,
    comment: null, grants: [], ...extra,
  };
}

export function snapshot(tables: Table[], extra: Partial<Snapshot> = {}): Snapshot {
  return {
    formatVersion: 1, serverVersion: 15, schemas: [], extensions: [], enums: [], domains: [], composites: [], sequences: [],
    tables, views: [], functions: [], triggers: [], policies: [], roles: [], ...extra,
  };
}
