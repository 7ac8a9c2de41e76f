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
  const sample = snapshot.arrayLengths?.find((s) => s.column === `${qualified(table)}.${column.name}`);
  return sample && sample.lengths.length === 1 ? sample.lengths[0] : null;
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
