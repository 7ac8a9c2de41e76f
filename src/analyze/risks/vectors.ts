import { qualified, type Snapshot } from '../../introspect/snapshot';
import { eachColumn } from '../patterns/context';
import { embeddingDimensions, embeddingStorage } from '../patterns/embedding';
import type { AnalyzeOptions, Risk } from '../types';

const mentions = (text: string, name: string) =>
  new RegExp(`(?<![\\w$])${name.replace(/[.*+?^${}()|[\]\\$]/g, '\\$&')}(?![\\w$])`).test(text);

/** Embedding columns: stored as arrays or jsonb (to convert) or already pgvector. */
function embeddings(snapshot: Snapshot) {
  return eachColumn(snapshot)
    .map(({ table, column }) => ({
      table,
      column,
      storage: embeddingStorage(column, embeddingDimensions(snapshot, table, column)),
    }))
    .filter((e) => e.storage !== null);
}

/**
 * Functions that read an embedding array keep working after the column becomes a vector
 * (pgvector casts vector to real[] implicitly), but they compare every row where the index
 * could answer: worth switching the callers to the match function.
 */
export function vectorFunctionRisks(snapshot: Snapshot): Risk[] {
  const arrays = embeddings(snapshot).filter((e) => e.storage !== 'pgvector');
  return snapshot.functions.flatMap((f) => {
    const reads = arrays.filter((e) => mentions(f.definition, e.table.name) && mentions(f.definition, e.column.name));
    return reads.map((e) => ({
      code: 'vector-function-scan',
      severity: 'low' as const,
      object: `${qualified(f)}(${f.identityArgs})`,
      why: `reads ${qualified(e.table)}.${e.column.name}; once that is a vector it still works (pgvector casts vector to real[] implicitly) but compares every row`,
      mitigation: `list the column under vectors.columns and call match_${e.table.name}(query_embedding, match_threshold, match_count), which the HNSW index answers`,
    }));
  });
}

/** A target without pgvector cannot take the vector plan: apply would stop before its first step. */
export function vectorTargetRisks(snapshot: Snapshot, options: AnalyzeOptions): Risk[] {
  if (options.targetVector !== 'missing') return [];
  return embeddings(snapshot).map((e) => ({
    code: 'pgvector-missing',
    severity: 'high' as const,
    object: `${qualified(e.table)}.${e.column.name}`,
    why:
      'the target server does not have pgvector (the vector extension): a plan that converts or keeps this column ' +
      'as a vector cannot be applied there',
    mitigation:
      'migrate into a Supabase project (pgvector is available) or install pgvector on the server; otherwise set ' +
      'options.enable_vector_migration: false to keep the arrays',
  }));
}
