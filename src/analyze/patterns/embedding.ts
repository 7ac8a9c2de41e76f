import { qualified, type Column, type Snapshot, type Table } from '../../introspect/snapshot';
import { elementType, isFloatArray, isPgvector } from '../column-types';
import type { Pattern } from '../types';
import { eachColumn, type PatternContext } from './context';

const EMBEDDING_NAME = /^(embedding|embeddings|vector|vectors)$|_(embedding|embeddings|vector)$/;
/** Fewer dimensions than this is a point, a colour or a histogram rather than an embedding. */
const MIN_UNNAMED_DIMENSIONS = 64;

/** Embeddings already in pgvector, or stored as float arrays / jsonb that should move to it. */
export function embeddingStorage(
  column: Column,
  dimensions: number | null = null,
): 'pgvector' | 'array' | 'jsonb' | null {
  if (isPgvector(column)) return 'pgvector';
  if (!EMBEDDING_NAME.test(column.name) && (dimensions === null || dimensions < MIN_UNNAMED_DIMENSIONS)) return null;
  if (isFloatArray(column)) return 'array';
  if (!column.isArray && elementType(column) === 'jsonb') return 'jsonb';
  return null;
}

/**
 * The dimensions a column's values all have, as far as the source says: pgvector's type
 * modifier, a CHECK on the array's length, or one single length among the sampled rows.
 */
export function embeddingDimensions(snapshot: Snapshot, table: Table, column: Column): number | null {
  const typmod = /\((\d+)\)$/.exec(column.type);
  if (isPgvector(column)) return typmod ? Number(typmod[1]) : null;
  for (const c of table.constraints) {
    if (c.kind !== 'c' || c.columns.length !== 1 || c.columns[0] !== column.name) continue;
    const m = /(?:array_length\([^,()]+,\s*1\)|cardinality\([^()]+\)|jsonb_array_length\([^()]+\))\s*=\s*(\d+)/i.exec(
      c.definition,
    );
    if (m) return Number(m[1]);
  }
  // An empty array is an embedding not computed yet, not one of 0 dimensions.
  const lengths = sampledLengths(snapshot, table, column).filter((n) => n > 0);
  return lengths.length === 1 ? lengths[0] : null;
}

function sampledLengths(snapshot: Snapshot, table: Table, column: Column): number[] {
  return snapshot.arrayLengths?.find((s) => s.column === `${qualified(table)}.${column.name}`)?.lengths ?? [];
}

/** True when the source has values in the column and every sampled one is an empty array. */
export function onlyEmptyEmbeddings(snapshot: Snapshot, table: Table, column: Column): boolean {
  const lengths = sampledLengths(snapshot, table, column);
  return lengths.length > 0 && lengths.every((n) => n === 0);
}

export function detectEmbeddings(ctx: PatternContext): Pattern[] {
  return eachColumn(ctx.snapshot).flatMap(({ table, column }): Pattern[] => {
    const dimensions = embeddingDimensions(ctx.snapshot, table, column);
    const storage = embeddingStorage(column, dimensions);
    if (storage === null) return [];
    const size = dimensions === null ? '' : ` of ${dimensions} dimensions`;
    const evidence =
      storage === 'pgvector'
        ? `${column.name} ${column.type}: already a pgvector column`
        : `${column.name} ${column.type}: embedding${size} stored as ${storage}, convert to extensions.vector${dimensions === null ? '' : `(${dimensions})`}`;
    return [
      {
        kind: 'embedding',
        table: qualified(table),
        columns: [column.name],
        confidence: storage === 'jsonb' && dimensions === null ? 'medium' : 'high',
        evidence,
      },
    ];
  });
}
