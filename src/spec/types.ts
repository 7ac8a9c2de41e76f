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
  security: SecuritySpec;
  vectors: VectorsSpec;
  functions: Record<string, unknown>;
  storage: Record<string, unknown>;
  types: TypesSpec;
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

export type Operation = 'select' | 'insert' | 'update' | 'delete';
export type ApiRole = 'anon' | 'authenticated';

/**
 * Row level security as the spec asks for it. Fields are optional because a spec that leaves the
 * section out has no security plan at all; the loader sets only what the file wrote.
 */
export interface SecuritySpec {
  /** Target schemas the API serves (default public). */
  exposedSchemas?: string[];
  /** The source table whose ids are auth.users ids. */
  usersTable?: { table: string; idColumn: string };
  acknowledgeAnonWrites?: string[];
  /** `schema.table` (source names) -> its patterns; permissive, so any one of them grants. */
  tables?: Record<string, SecurityPattern[]>;
}

export type SecurityPattern = PatternShape & { operations: Operation[]; roles: ApiRole[] };

export type PatternShape =
  | { kind: 'owner'; column: string }
  | { kind: 'tenant'; column: string; claim: string[] }
  | { kind: 'membership'; table: string; key: string; memberKey: string; userColumn: string }
  | { kind: 'role'; claim: string[]; values: string[] }
  | { kind: 'public_read'; filter: string | null }
  | { kind: 'authenticated_read' }
  | { kind: 'service_only' }
  | { kind: 'custom'; using: string | null; withCheck: string | null };

/** `types:`; keys left out take the planner's defaults (plan/types). */
export interface TypesSpec {
  /** database.types.ts, relative to dir (default `supabase/types/database.types.ts`). */
  output?: string;
  /** Schemas the Database type describes (default: the migrated schemas after renames, and public). */
  schemas?: string[];
  /** Insert/Update payload schemas per table (default none). */
  validation?: 'jsonschema' | 'none';
  /** Where they are written (default `supabase/types/database.schemas.json`). */
  validationOutput?: string;
}

export type VectorType = 'vector' | 'halfvec';
export type VectorDistance = 'cosine' | 'l2' | 'inner_product';
export type WrongLength = 'fail' | 'skip' | 'null';
export type VectorIndex = { method: 'hnsw'; m: number; efConstruction: number } | { method: 'ivfflat'; lists: number } | { method: 'none' };

/** One column to carry into pgvector; every field resolved from the column's keys or the section's defaults. */
export interface VectorColumnSpec {
  dimensions: number;
  type: VectorType;
  distance: VectorDistance;
  index: VectorIndex;
  onWrongLength: WrongLength;
}

/** `vectors:`; the section's own keys are the defaults each listed column starts from. */
export interface VectorsSpec {
  dimensions: number;
  /** `schema.table.column` (source names) -> its settings, sorted by key. */
  columns: Record<string, VectorColumnSpec>;
}
