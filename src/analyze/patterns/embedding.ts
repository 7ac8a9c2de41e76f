import { qualified, type Column } from '../../introspect/snapshot';
import { elementType, isFloatArray, isPgvector } from '../column-types';
import type { Pattern } from '../types';
import { eachColumn, type PatternContext } from './context';

const EMBEDDING_NAME = /^(embedding|embeddings|vector|vectors)$|_(embedding|embeddings|vector)$/;

/** Embeddings already in pgvector, or stored as float arrays / jsonb that should move to it. */
export function embeddingStorage(column: Column): 'pgvector' | 'array' | 'jsonb' | null {
  if (isPgvector(column)) return 'pgvector';
  if (!EMBEDDING_NAME.test(column.name)) return null;
  if (isFloatArray(column)) return 'array';
  if (!column.isArray && elementType(column) === 'jsonb') return 'jsonb';
  return null;
}

export function detectEmbeddings(ctx: PatternContext): Pattern[] {
  return eachColumn(ctx.snapshot).flatMap(({ table, column }): Pattern[] => {
    const storage = embeddingStorage(column);
    if (storage === null) return [];
    const evidence =
      storage === 'pgvector' ? `${column.name} ${column.type}: already a pgvector column`
        : `${column.name} ${column.type}: embedding stored as ${storage}, convert to extensions.vector`;
    return [{
      kind: 'embedding',
      table: qualified(table),
      columns: [column.name],
      confidence: storage === 'jsonb' ? 'medium' : 'high',
      evidence,
    }];
  });
}
