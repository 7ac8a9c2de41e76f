import { appendFileSync, readFileSync } from 'node:fs';
import type { SchemaMapping, Spec } from '../../src/spec/types';

export function mapping(over: Partial<SchemaMapping> = {}): SchemaMapping {
  return {
    includeSchemas: null,
    excludeSchemas: [],
    includeTables: null,
    excludeTables: [],
    renameSchemas: {},
    typeMappings: { serialToIdentity: false, jsonToJsonb: false },
    ...over,
  };
}

/** A checked Spec as the loader would return it, for library-level tests. */
export function specFor(dir: string, over: Partial<Spec> = {}): Spec {
  return {
    version: 1,
    name: 'app',
    file: `${dir}/migration.yaml`,
    dir,
    source: { url: null },
    target: { url: null, supabaseUrl: null, anonKey: null, serviceRoleKey: null, existingObjects: { default: 'stop', objects: {} } },
    schema: mapping(),
    output: { supabaseDir: 'supabase', stateDir: '.supamigrate' },
    options: { timeoutSeconds: 3600, enableVectorMigration: true, enableRealtime: false },
    data: { enabled: true, batchSize: 1000, chunkRows: 1000, parallel: 2, checkpointInterval: 1, mode: 'auto', tables: {} },
    security: {},
    vectors: { dimensions: 1536, columns: {} },
    functions: {},
    storage: {},
    types: {},
    realtime: { tables: [] },
    evolution: { allowDestructive: [], renames: { tables: {}, columns: {} } },
    online: { writeStop: 'read-only', appRole: null, sessionWaitSeconds: 10, maxRetainedWalBytes: 1024 ** 3 },
    ...over,
  };
}

/**
 * init proposes a live vectors: section for embedding columns; tests that apply to the local
 * server (which has no pgvector) keep the arrays, as the spec's switch says.
 */
export function keepEmbeddingArrays(specFile: string): void {
  if (/^vectors:/m.test(readFileSync(specFile, 'utf8'))) appendFileSync(specFile, '\noptions:\n  enable_vector_migration: false\n');
}
