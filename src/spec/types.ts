/**
 * The checked form of migration.yaml. The YAML uses snake_case keys; the loader validates it
 * against schemas/migration.schema.json, interpolates ${VAR}, applies defaults and returns this
 * frozen camelCase object. Nothing past the loader re-validates it.
 */
export interface Spec {
  version: 1;
  /** Project name, used in migration file names; [a-z0-9_]+. */
  name: string;
  /** Absolute path of the spec file and its folder; generated paths are relative to the folder. */
  file: string;
  dir: string;
  source: { url: string | null };
  target: {
    url: string | null;
    supabaseUrl: string | null;
    anonKey: string | null;
    serviceRoleKey: string | null;
  };
  schema: SchemaMapping;
  output: {
    /** Folder of the Supabase project, relative to dir (default `supabase`). */
    supabaseDir: string;
    /** Folder of engine state committed with the spec (default `.supamigrate`). */
    stateDir: string;
  };
  options: {
    batchSize: number;
    timeoutSeconds: number;
    enableVectorMigration: boolean;
    enableRealtime: boolean;
  };
  /** Sections filled by later issues; kept as validated plain data for now. */
  data: DataSpec;
  security: Record<string, unknown>;
  vectors: Record<string, unknown>;
  functions: Record<string, unknown>;
  storage: Record<string, unknown>;
  types: Record<string, unknown>;
  realtime: { tables: string[] };
}

export interface SchemaMapping {
  /** Schemas to migrate (default: every non-system schema of the source). */
  includeSchemas: string[] | null;
  excludeSchemas: string[];
  /** `schema.table` patterns with `*` wildcards. */
  includeTables: string[] | null;
  excludeTables: string[];
  /** Source schema -> target schema. */
  renameSchemas: Record<string, string>;
  typeMappings: {
    /** serial/bigserial columns become identity columns. */
    serialToIdentity: boolean;
    /** json columns become jsonb. */
    jsonToJsonb: boolean;
  };
}

export interface DataSpec {
  enabled: boolean;
  batchSize: number;
  parallel: number;
  checkpointInterval: number;
  mode: 'copy' | 'insert' | 'auto';
  tables: Record<string, TableDataOptions>;
}

export interface TableDataOptions {
  skip: boolean;
  where: string | null;
  mode: 'copy' | 'insert' | 'auto' | null;
  /** Source column -> target column; null drops the column. */
  rename: Record<string, string>;
  drop: string[];
  /** Column -> SQL type to cast to on the way in. */
  cast: Record<string, string>;
}
