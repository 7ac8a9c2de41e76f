import type {
  Column, Constraint, Index, Routine, Snapshot, Table, Trigger,
} from '../../src/introspect/snapshot';

/** Hand-built snapshots for analysis tests: short calls, complete objects. */

const DISPLAY: Record<string, string> = {
  int4: 'integer', int8: 'bigint', float4: 'real', float8: 'double precision', bool: 'boolean',
  varchar: 'character varying', timestamptz: 'timestamp with time zone', timestamp: 'timestamp without time zone',
};

export function column(name: string, typeName: string, over: Partial<Column> = {}): Column {
  const isArray = over.isArray ?? false;
  return {
    name, position: 0, type: `${DISPLAY[typeName] ?? typeName}${isArray ? '[]' : ''}`, typeSchema: 'pg_catalog',
    typeName, isArray, notNull: false, default: null, identity: null, identitySequence: null,
    generated: null, collation: null, comment: null, ...over,
  };
}

export const id = (typeName = 'int8'): Column => column('id', typeName, { notNull: true, identity: 'd' });

export function constraint(kind: Constraint['kind'], name: string, columns: string[], over: Partial<Constraint> = {}): Constraint {
  return {
    name, kind, definition: '', columns, refTable: null, refColumns: [], validated: true,
    deferrable: false, comment: null, ...over,
  };
}

export function fk(name: string, columns: string | string[], refTable: string, refColumns: string[] = ['id']): Constraint {
  const cols = typeof columns === 'string' ? [columns] : columns;
  return constraint('f', name, cols, { refTable, refColumns });
}

export function index(name: string, columns: string[], over: Partial<Index> = {}): Index {
  return { name, definition: '', unique: false, primary: false, constraint: null, columns, partial: false, comment: null, ...over };
}

/** A table; `pk` (default ['id'] when an id column exists) adds the primary key constraint and index. */
export function table(
  name: string,
  columns: Column[],
  over: Partial<Table> & { pk?: string[] | null; fks?: Constraint[] } = {},
): Table {
  const [schema, tableName] = name.split('.');
  const { pk = columns.some((c) => c.name === 'id') ? ['id'] : null, fks = [], ...rest } = over;
  const pkName = `${tableName}_pkey`;
  return {
    schema, name: tableName, kind: 'r',
    columns: columns.map((c, i) => ({ ...c, position: i + 1 })),
    constraints: [...(pk ? [constraint('p', pkName, pk)] : []), ...fks],
    indexes: pk ? [index(pkName, pk, { unique: true, primary: true, constraint: pkName })] : [],
    partitionOf: null, partitionBound: null, partitionKey: null, inherits: [], rlsEnabled: false,
    rlsForced: false, replicaIdentity: 'd', owner: 'postgres', estimatedRows: 0, sizeBytes: 0,
    comment: null, grants: [], ...rest,
  };
}

export function routine(name: string, over: Partial<Routine> = {}): Routine {
  const [schema, fn] = name.split('.');
  return {
    schema, name: fn, identityArgs: '', kind: 'f', definition: '', language: 'plpgsql', returns: 'void',
    returnsSet: false, securityDefiner: false, volatility: 'v', args: [], dependsOn: [], owner: 'postgres',
    comment: null, ...over,
  };
}

export function trigger(tableName: string, name: string, fn: string): Trigger {
  const [schema, t] = tableName.split('.');
  return { schema, table: t, name, definition: '', function: fn, enabled: 'O', isConstraint: false };
}

export function snapshot(over: Partial<Snapshot> = {}): Snapshot {
  const tables = over.tables ?? [];
  const schemaNames = [...new Set(tables.map((t) => t.schema))].sort();
  return {
    formatVersion: 1, serverVersion: 15,
    schemas: schemaNames.map((name) => ({ name, owner: 'postgres', comment: null })),
    extensions: [], enums: [], domains: [], composites: [], sequences: [], tables: [], views: [],
    functions: [], triggers: [], policies: [], roles: [], ...over,
  };
}

/** A deterministic permutation (seeded LCG), so a failing shuffle can be replayed. */
function permute<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i -= 1) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The same snapshot with its collections in another order: analysis must not notice. */
export function shuffled(s: Snapshot, seed: number): Snapshot {
  const tables = s.tables.map((t) => ({
    ...t,
    columns: permute(t.columns, seed),
    constraints: permute(t.constraints, seed + 1),
    indexes: permute(t.indexes, seed + 2),
    grants: permute(t.grants, seed + 3),
  }));
  return {
    ...s,
    schemas: permute(s.schemas, seed), extensions: permute(s.extensions, seed), enums: permute(s.enums, seed),
    domains: permute(s.domains, seed), composites: permute(s.composites, seed), sequences: permute(s.sequences, seed),
    tables: permute(tables, seed), views: permute(s.views, seed), functions: permute(s.functions, seed),
    triggers: permute(s.triggers, seed), policies: permute(s.policies, seed), roles: permute(s.roles, seed),
  };
}
