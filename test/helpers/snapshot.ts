import type { Column, Snapshot, Table } from '../../src/introspect/snapshot';

/** Small builders for hand-written snapshots in planner tests. */
export function emptySnapshot(over: Partial<Snapshot> = {}): Snapshot {
  return {
    formatVersion: 1,
    serverVersion: 15,
    schemas: [{ name: 'public', owner: 'postgres', comment: null }],
    extensions: [],
    enums: [],
    domains: [],
    composites: [],
    sequences: [],
    tables: [],
    views: [],
    functions: [],
    triggers: [],
    policies: [],
    roles: [],
    ...over,
  };
}

export function column(name: string, type: string, over: Partial<Column> = {}): Column {
  return {
    name,
    position: 1,
    type,
    typeSchema: 'pg_catalog',
    typeName: type,
    isArray: false,
    notNull: false,
    default: null,
    identity: null,
    identitySequence: null,
    generated: null,
    collation: null,
    comment: null,
    ...over,
  };
}

export function table(schema: string, name: string, columns: Column[], over: Partial<Table> = {}): Table {
  return {
    schema,
    name,
    kind: 'r',
    columns: columns.map((c, i) => ({ ...c, position: i + 1 })),
    constraints: [],
    indexes: [],
    partitionOf: null,
    partitionBound: null,
    partitionKey: null,
    inherits: [],
    rlsEnabled: false,
    rlsForced: false,
    replicaIdentity: 'd',
    owner: 'postgres',
    estimatedRows: 0,
    sizeBytes: 0,
    comment: null,
    grants: [],
    ...over,
  };
}
