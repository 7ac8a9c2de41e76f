import type { Constraint, Routine, View } from '../../../src/introspect/snapshot';

/** Hand-written catalog objects for types-planner tests. */
export function fk(name: string, columns: string[], refTable: string, refColumns: string[]): Constraint {
  return { name, kind: 'f', definition: '', columns, refTable, refColumns, validated: true, deferrable: false, comment: null };
}

export function key(name: string, kind: 'p' | 'u', columns: string[]): Constraint {
  return { name, kind, definition: '', columns, refTable: null, refColumns: [], validated: true, deferrable: false, comment: null };
}

export function view(schema: string, name: string, definition: string, columns: [string, string][], over: Partial<View> = {}): View {
  return {
    schema,
    name,
    materialized: false,
    definition,
    columns: columns.map(([n, type]) => ({ name: n, type, notNull: false })),
    options: [],
    dependsOn: [],
    indexes: [],
    owner: 'postgres',
    comment: null,
    grants: [],
    ...over,
  };
}

export function fn(name: string, args: Routine['args'], returns: string, over: Partial<Routine> = {}): Routine {
  return {
    schema: 'public',
    name,
    identityArgs: args.filter((a) => a.mode !== 't').map((a) => `${a.name} ${a.type}`).join(', '),
    kind: 'f',
    definition: '',
    language: 'sql',
    returns,
    returnsSet: returns.startsWith('SETOF') || returns.startsWith('TABLE'),
    securityDefiner: false,
    volatility: 'v',
    args,
    dependsOn: [],
    owner: 'postgres',
    comment: null,
    ...over,
  };
}

export const arg = (name: string, type: string, hasDefault = false, mode: Routine['args'][number]['mode'] = 'i') => ({ name, type, mode, hasDefault });
