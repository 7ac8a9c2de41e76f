import { toSecuritySpec } from './security';
import { toStorageSpec } from './storage';
import { toVectorsSpec } from './vectors';
import { toPerformanceSpec } from './performance';
import type { DataSpec, EvolutionSpec, SchemaMapping, Spec, TableDataOptions, TypesSpec } from './types';

/* The raw spec after schema validation: ajv has applied defaults and coerced types. */
export type Raw = Record<string, any>;

/** Maps the validated snake_case document onto the camelCase Spec. */
export function toSpec(raw: Raw, file: string, dir: string): Spec {
  const options = {
    timeoutSeconds: raw.options.timeout as number,
    enableVectorMigration: raw.options.enable_vector_migration as boolean,
    enableRealtime: raw.options.enable_realtime as boolean,
  };
  return {
    version: 1,
    name: raw.name,
    file,
    dir,
    source: { url: raw.source.url ?? null },
    target: {
      url: raw.target.url ?? null,
      supabaseUrl: raw.target.supabase_url ?? null,
      anonKey: raw.target.anon_key ?? null,
      serviceRoleKey: raw.target.service_role_key ?? null,
      existingObjects: toExistingObjects(raw.target.existing_objects),
    },
    schema: toSchemaMapping(raw.schema),
    output: { supabaseDir: raw.output.supabase_dir, stateDir: raw.output.state_dir },
    options,
    data: toDataSpec(raw.data, raw.options.batch_size as number),
    security: toSecuritySpec(raw.security),
    vectors: toVectorsSpec(raw.vectors),
    functions: raw.functions,
    storage: toStorageSpec(raw.storage),
    types: toTypesSpec(raw.types),
    realtime: { tables: raw.realtime.tables },
    evolution: toEvolutionSpec(raw.evolution),
    performance: toPerformanceSpec(raw.performance),
  };
}

function toSchemaMapping(schema: Raw): SchemaMapping {
  return {
    includeSchemas: schema.include_schemas ?? null,
    excludeSchemas: schema.exclude_schemas,
    includeTables: schema.include_tables ?? null,
    excludeTables: schema.exclude_tables,
    renameSchemas: schema.rename_schemas,
    ...(schema.skip_objects.length > 0 ? { skipObjects: schema.skip_objects } : {}),
    typeMappings: {
      serialToIdentity: schema.type_mappings.serial === 'identity',
      jsonToJsonb: schema.type_mappings.json === 'jsonb',
    },
  };
}

function toDataSpec(data: Raw, defaultBatchSize: number): DataSpec {
  const tables: Record<string, TableDataOptions> = {};
  for (const key of Object.keys(data.tables).sort()) {
    const table = data.tables[key] as Raw;
    tables[key] = {
      skip: table.skip,
      where: table.where ?? null,
      mode: table.mode ?? null,
      rename: table.rename,
      drop: table.drop,
      cast: table.cast,
    };
  }
  return {
    enabled: data.enabled,
    batchSize: data.batch_size ?? defaultBatchSize,
    // batch_size x checkpoint_interval was the chunk before chunk_rows named it: still accepted.
    chunkRows: data.chunk_rows ?? (data.batch_size ?? defaultBatchSize) * data.checkpoint_interval,
    parallel: data.parallel,
    checkpointInterval: data.checkpoint_interval,
    mode: data.mode,
    tables,
  };
}

/** Freezes an object graph so no later stage can change the checked spec. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function toTypesSpec(types: Raw): TypesSpec {
  return {
    ...(types.output === undefined ? {} : { output: types.output as string }),
    ...(types.schemas === undefined ? {} : { schemas: types.schemas as string[] }),
    ...(types.validation === undefined ? {} : { validation: types.validation as 'zod' | 'jsonschema' | 'none' }),
    ...(types.validation_output === undefined ? {} : { validationOutput: types.validation_output as string }),
  };
}

function toEvolutionSpec(evolution: Raw): EvolutionSpec {
  return {
    allowDestructive: [...(evolution.allow_destructive as string[])].sort(),
    renames: { tables: { ...evolution.renames.tables }, columns: { ...evolution.renames.columns } },
  };
}

/** `existing_objects: skip` is short for `{ default: skip }`; absent means stop. */
function toExistingObjects(raw: Raw | string | undefined): Spec['target']['existingObjects'] {
  if (raw === undefined) return { default: 'stop', objects: {} };
  if (typeof raw === 'string') return { default: raw as 'stop', objects: {} };
  return { default: raw.default ?? 'stop', objects: { ...(raw.objects ?? {}) } };
}
