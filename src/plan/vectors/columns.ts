import type { Column, Constraint, Snapshot, Table } from '../../introspect/snapshot';
import { UserError } from '../../errors';
import type { Spec, VectorColumnSpec } from '../../spec/types';
import { elementType, isFloatArray, isPgvector } from '../../analyze/column-types';

/** How the source keeps the embedding: a float array, a jsonb array, or pgvector already. */
export type VectorStorage = 'array' | 'jsonb' | 'pgvector';

/** One column the plan carries into pgvector, with everything the builders need to know. */
export interface VectorColumn {
  /** `schema.table.column`, source names (the spec's key). */
  key: string;
  table: Table;
  column: Column;
  storage: VectorStorage;
  /** Target schema of the table (after renames). */
  targetSchema: string;
  settings: VectorColumnSpec;
  /** Single-column checks on the array's length: pgvector's type modifier states them instead. */
  lengthChecks: Constraint[];
}

const LENGTH_FUNCTIONS = /\b(array_length|cardinality|jsonb_array_length|array_upper)\s*\(/i;

/**
 * The columns the spec names, found in the (selected) snapshot. Empty when vector migration is
 * switched off (options.enable_vector_migration).
 */
export function vectorColumns(snapshot: Snapshot, spec: Pick<Spec, 'vectors' | 'options' | 'schema'>): VectorColumn[] {
  if (!spec.options.enableVectorMigration) return [];
  return Object.keys(spec.vectors.columns)
    .sort()
    .map((key) => {
      const [schema, tableName, columnName] = key.split('.');
      const table = snapshot.tables.find((t) => t.schema === schema && t.name === tableName);
      const column = table?.columns.find((c) => c.name === columnName);
      if (!table || !column) {
        throw new UserError(
          `vectors.columns.${key}: no such column among the migrated tables`,
          'name a column of a migrated table as schema.table.column, as it is called in the source',
        );
      }
      const storage = storageOf(column);
      if (!storage) {
        throw new UserError(
          `vectors.columns.${key}: ${column.type} cannot become a vector`,
          'list real[], double precision[], numeric[], jsonb arrays of numbers, or pgvector columns',
        );
      }
      return {
        key,
        table,
        column,
        storage,
        targetSchema: spec.schema.renameSchemas[schema] ?? schema,
        settings: spec.vectors.columns[key],
        lengthChecks: table.constraints.filter(
          (c) =>
            c.kind === 'c' &&
            c.columns.length === 1 &&
            c.columns[0] === columnName &&
            LENGTH_FUNCTIONS.test(c.definition),
        ),
      };
    });
}

export function storageOf(column: Column): VectorStorage | null {
  if (isPgvector(column)) return 'pgvector';
  if (isFloatArray(column)) return 'array';
  if (!column.isArray && elementType(column) === 'jsonb') return 'jsonb';
  return null;
}

/** The length a CHECK constraint pins, e.g. `CHECK ((array_length(embedding, 1) = 1536))`. */
export function checkedLength(constraints: Constraint[], column: string): number | null {
  for (const c of constraints) {
    if (c.kind !== 'c' || c.columns.length !== 1 || c.columns[0] !== column) continue;
    const m = /(?:array_length\([^,()]+,\s*1\)|cardinality\([^()]+\)|jsonb_array_length\([^()]+\))\s*=\s*(\d+)/i.exec(
      c.definition,
    );
    if (m) return Number(m[1]);
  }
  return null;
}

/** `extensions.vector(1536)` / `extensions.halfvec(3072)`. */
export const targetType = (v: VectorColumn) => `extensions.${v.settings.type}(${v.settings.dimensions})`;
