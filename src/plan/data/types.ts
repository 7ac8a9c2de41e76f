import type { TableDataOptions } from '../../spec/types';

export type CopyMode = 'copy' | 'insert' | 'auto';

/**
 * How the engine splits a table into chunks: `range` for a single integer key (boundaries
 * computed from the source's min and max, so workers can share the table), `keyset` for any
 * other key (consecutive pages in key order), `whole` for a table without a usable key.
 */
export type Chunking = 'range' | 'keyset' | 'whole';

export interface CopyColumn {
  source: string;
  target: string;
  /** SQL type the source value is cast to on the way out, or null. */
  cast: string | null;
  /** SQL over the source row that replaces the column in the SELECT (vector conversion); absent otherwise. */
  expression?: string;
}

/** A STORED generated column: not copied (the target computes it), compared by validate --data. */
export interface GeneratedColumn {
  source: string;
  target: string;
  /** The GENERATED ALWAYS AS expression, as the source defines it. */
  expression: string;
}

/** Everything the engine needs to move one table's rows; plain data, produced by planData. */
export interface TableCopy {
  /** `data:schema.table` (source names). */
  id: string;
  source: { schema: string; table: string };
  target: { schema: string; table: string };
  /** Generated columns are left out: the target computes them. */
  columns: CopyColumn[];
  /** The generated columns the target computes as it loads; absent when the table has none. */
  generated?: GeneratedColumn[];
  /** Source columns of the primary key, or of a unique key whose columns are all NOT NULL. */
  key: string[] | null;
  chunking: Chunking;
  /** Row filter from the spec, applied on the source. */
  where: string | null;
  mode: CopyMode;
  overridingSystemValue: boolean;
  estimatedRows: number;
  /** Position in load order: referenced tables first, then by name. */
  order: number;
}

export interface DataPlanOptions {
  /** Per-table options keyed `schema.table` (or a bare name for tables in public). */
  tables: Record<string, TableDataOptions>;
  schemaRename: Record<string, string>;
  /** Mode for tables whose options do not set one (default auto). */
  mode?: CopyMode;
  /** `schema.table.column` -> source expression for that column (plan/vectors). */
  expressions?: Record<string, string>;
  /** `schema.table` -> extra row filter, and-ed with the spec's `where` (plan/vectors). */
  filters?: Record<string, string>;
}

/** A sequence whose value is carried over after the load. */
export type SequenceReset =
  | { kind: 'sequence'; source: { schema: string; name: string }; target: { schema: string; name: string } }
  | {
      kind: 'identity';
      source: { schema: string; table: string; column: string };
      target: { schema: string; table: string; column: string };
    };
