import { toSecuritySpec } from './security';
import { toStorageSpec } from './storage';
import { toVectorsSpec, type RawVectors } from './vectors';
import { toPerformanceSpec } from './performance';
import { toOnlineSpec, type RawOnline } from './online';
import type { FunctionsSpec, RawFunctions } from './functions';
import type { DataSpec, EvolutionSpec, SchemaMapping, Spec, TableDataOptions, TypesSpec } from './types';

type Treatment = Spec['target']['existingObjects']['default'];
type RawExisting = { default?: Treatment; objects?: Record<string, Treatment> };

interface RawSchema {
  include_schemas?: string[] | null;
  exclude_schemas: string[];
  include_tables?: string[] | null;
  exclude_tables: string[];
  rename_schemas: Record<string, string>;
  skip_objects: string[];
  type_mappings: { serial?: string; json?: string };
}

interface RawTableData {
  skip: boolean;
  where?: string | null;
  mode?: TableDataOptions['mode'];
  rename: Record<string, string>;
  drop: string[];
  cast: Record<string, string>;
}

interface RawData {
  enabled: boolean;
  batch_size?: number;
  chunk_rows?: number;
  parallel: number;
  checkpoint_interval: number;
  mode: DataSpec['mode'];
  tables: Record<string, RawTableData>;
}

interface RawTypes {
  output?: unknown;
  schemas?: unknown;
  validation?: unknown;
  validation_output?: unknown;
}

/* The raw spec after schema validation: ajv has applied defaults and coerced types. */
export interface Raw {
  name: string;
  options: { timeout: unknown; enable_vector_migration: unknown; enable_realtime: unknown; batch_size: unknown };
  source: { url?: string | null };
  target: {
    url?: string | null;
    supabase_url?: string | null;
    anon_key?: string | null;
    service_role_key?: string | null;
    existing_objects?: RawExisting | string;
  };
  schema: RawSchema;
  output: { supabase_dir: string; state_dir: string };
  data: RawData;
  security: Parameters<typeof toSecuritySpec>[0];
  vectors: RawVectors;
  functions: RawFunctions;
  storage: Parameters<typeof toStorageSpec>[0];
  types: RawTypes;
  realtime: { tables: string[] };
  evolution: {
    allow_destructive: unknown;
    renames: { tables: Record<string, string>; columns: Record<string, string> };
  };
  performance?: Parameters<typeof toPerformanceSpec>[0];
  online?: RawOnline;
}

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
    // Replaced by the loader with toFunctionsSpec's result, which needs the document's positions.
    functions: raw.functions as FunctionsSpec,
    storage: toStorageSpec(raw.storage),
    types: toTypesSpec(raw.types),
    realtime: { tables: raw.realtime.tables },
    evolution: toEvolutionSpec(raw.evolution),
    performance: toPerformanceSpec(raw.performance),
    online: toOnlineSpec(raw.online),
  };
}

function toSchemaMapping(schema: RawSchema): SchemaMapping {
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

function toDataSpec(data: RawData, defaultBatchSize: number): DataSpec {
  const tables: Record<string, TableDataOptions> = {};
  for (const key of Object.keys(data.tables).sort()) {
    const table = data.tables[key];
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

function toTypesSpec(types: RawTypes): TypesSpec {
  return {
    ...(types.output === undefined ? {} : { output: types.output as string }),
    ...(types.schemas === undefined ? {} : { schemas: types.schemas as string[] }),
    ...(types.validation === undefined ? {} : { validation: types.validation as 'zod' | 'jsonschema' | 'none' }),
    ...(types.validation_output === undefined ? {} : { validationOutput: types.validation_output as string }),
  };
}

function toEvolutionSpec(evolution: Raw['evolution']): EvolutionSpec {
  return {
    allowDestructive: [...(evolution.allow_destructive as string[])].sort(),
    renames: { tables: { ...evolution.renames.tables }, columns: { ...evolution.renames.columns } },
  };
}

/** `existing_objects: skip` is short for `{ default: skip }`; absent means stop. */
function toExistingObjects(raw: RawExisting | string | undefined): Spec['target']['existingObjects'] {
  if (raw === undefined) return { default: 'stop', objects: {} };
  if (typeof raw === 'string') return { default: raw as 'stop', objects: {} };
  return { default: raw.default ?? 'stop', objects: { ...(raw.objects ?? {}) } };
}
