import type { Extension, Snapshot, Table } from '../../introspect/snapshot';
import { targetType, type VectorColumn } from './columns';

const VECTOR_EXTENSION: Extension = { name: 'vector', schema: 'extensions', version: '', members: [] };

/**
 * The snapshot as the target will have it: converted columns typed `extensions.vector(N)` in the
 * table's own CREATE (so the load writes vectors, never an ALTER over loaded rows), the array
 * length checks dropped (the type modifier enforces the length), the column nullable when wrong
 * lengths load as null, and the vector extension present so the schema plan creates it once.
 */
export function vectorSnapshot(snapshot: Snapshot, columns: VectorColumn[]): Snapshot {
  if (columns.length === 0) return snapshot;
  const byTable = new Map<string, VectorColumn[]>();
  for (const v of columns)
    byTable.set(`${v.table.schema}.${v.table.name}`, [...(byTable.get(`${v.table.schema}.${v.table.name}`) ?? []), v]);
  const extensions = snapshot.extensions.some((e) => e.name === 'vector')
    ? snapshot.extensions
    : [...snapshot.extensions, VECTOR_EXTENSION].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    ...snapshot,
    extensions,
    tables: snapshot.tables.map((t) => {
      const here = byTable.get(`${t.schema}.${t.name}`);
      return here ? retyped(t, here) : t;
    }),
  };
}

function retyped(table: Table, columns: VectorColumn[]): Table {
  const dropped = new Set(columns.flatMap((v) => v.lengthChecks.map((c) => c.name)));
  return {
    ...table,
    columns: table.columns.map((c) => {
      const v = columns.find((x) => x.column.name === c.name);
      if (!v) return c;
      return {
        ...c,
        type: targetType(v),
        typeSchema: 'extensions',
        typeName: v.settings.type,
        isArray: false,
        notNull: c.notNull && v.settings.onWrongLength !== 'null',
        default: null,
      };
    }),
    constraints: table.constraints.filter((c) => !dropped.has(c.name)),
  };
}
