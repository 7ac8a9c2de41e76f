import type { FunctionsSpec } from './functions';
import type { OnlineSpec } from './online';
import type { PerformanceSpec } from './performance';

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
    /** What apply does with objects the plan would create that the target already holds. */
    existingObjects: {
      default: 'stop' | 'adopt_when_equal' | 'skip';
      objects: Record<string, 'stop' | 'adopt_when_equal' | 'skip'>;
    };
  };
  schema: SchemaMapping;
  output: {
    /** Folder of the Supabase project, relative to dir (default `supabase`). */
    supabaseDir: string;
    /** Folder of engine state committed with the spec (default `.supamigrate`). */
    stateDir: string;
  };
  options: {
    timeoutSeconds: number;
    enableVectorMigration: boolean;
    enableRealtime: boolean;
  };
  /** Sections filled by later issues; kept as validated plain data for now. */
  data: DataSpec;
  security: SecuritySpec;
  vectors: VectorsSpec;
  functions: FunctionsSpec;
  storage: StorageSpec;
  types: TypesSpec;
  realtime: { tables: string[] };
  evolution: EvolutionSpec;
  /** `performance:`: the workload validate --performance compares, and its thresholds. */
  performance?: PerformanceSpec;
  /** `online:`: the cutover's write stop and the retained-WAL limit of an online migration. */
  online: OnlineSpec;
  /**
   * Connection fields whose ${VAR} was not read in this load (an offline load, or a variable
   * that is unset): `target.url` -> the variables and where the file names them.
   */
  unresolved?: Readonly<Record<string, { variables: string[]; at: string }>>;
}

/** `evolution:`: how apply moves an applied target to a changed plan (names as on the target). */
export interface EvolutionSpec {
  /** `schema.table`, `schema.table.column` or `schema`: objects apply may drop or narrow. */
  allowDestructive: string[];
  renames: {
    /** `schema.old` -> new table name. */
    tables: Record<string, string>;
    /** `schema.table.old` -> new column name (the table by its name after the table renames). */
    columns: Record<string, string>;
  };
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
  /** Objects Supabase cannot hold, skipped on purpose (`schema.skip_objects`); absent when none are listed. */
  skipObjects?: string[];
  typeMappings: {
    /** serial/bigserial columns become identity columns. */
    serialToIdentity: boolean;
    /** json columns become jsonb. */
    jsonToJsonb: boolean;
  };
}

export interface DataSpec {
  enabled: boolean;
  /** Rows a dry run loads per table (data.batch_size). */
  batchSize: number;
  /** Rows per chunk, each committed with its checkpoint (data.chunk_rows). */
  chunkRows: number;
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
  usersTable?: UsersTable;
  acknowledgeAnonWrites?: string[];
  /** Which functions get a fixed search_path: SECURITY DEFINER ones (default), or all. */
  pinSearchPath?: 'security_definer' | 'all';
  /** The source's own roles (by name): created on the target, or mapped onto a Supabase role. */
  roles?: Record<string, SourceRoleTreatment>;
  /** `schema.table` (source names) -> its patterns; permissive, so any one of them grants. */
  tables?: Record<string, SecurityPattern[]>;
  /** `schema.view` (source names, views and materialized views) -> whose rights it reads with, and who may select. */
  views?: Record<string, ViewAccess>;
}

/**
 * A view in the API as the spec sets it: `rights` overrides the plan's choice (invoker for views
 * over tables without RLS at the source, the source's own for the rest); `open` grants SELECT.
 */
export interface ViewAccess {
  rights?: 'invoker' | 'owner';
  open: ApiRole[];
}

/**
 * create: the role is made on the target (NOLOGIN unless login) with the source's grants, and with
 * `owns` it owns again what it owned on the source; map: the grants go to `to`.
 */
export type SourceRoleTreatment =
  | { treatment: 'create'; login: boolean; owns?: true }
  | { treatment: 'map'; to: 'anon' | 'authenticated' | 'service_role' };

/** The source users table: it stays as the profile table, its id referencing auth.users(id). */
export interface UsersTable {
  table: string;
  idColumn: string;
  /** seed: create the auth.users rows from the migrated users; existing: they are there already; none: no link. */
  authUsers: 'seed' | 'existing' | 'none';
  emailColumn: string;
  passwordColumn: string | null;
  /** Claim name -> column, copied into raw_app_meta_data of seeded users. */
  appMetadata: Record<string, string>;
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
  /** Insert/Update payload schemas per table: zod module, JSON Schema, or none (default none). */
  validation?: 'zod' | 'jsonschema' | 'none';
  /** Where they are written (default `supabase/types/database.schemas.ts`, `.json` for jsonschema). */
  validationOutput?: string;
}

/** `storage:`; keys left out stay out (plan/storage applies the defaults). */
export interface StorageSpec {
  /** Uploads in flight at once (default 4). */
  parallel?: number;
  /** Attempts after a failed upload (default 5). */
  retries?: number;
  buckets?: BucketSpec[];
}

export interface BucketSpec {
  name: string;
  public: boolean;
  /** Bytes; null accepts any size. */
  fileSizeLimit: number | null;
  /** null accepts any type; entries may be `type/*`. */
  allowedMimeTypes: string[] | null;
  cacheControlSeconds: number;
  access: StorageAccess[];
  sources: StorageSource[];
}

export type StorageAccess = StorageAccessShape & { operations: Operation[]; roles: ApiRole[] };

export type StorageAccessShape =
  | { kind: 'owner_folder' }
  | { kind: 'tenant_folder'; claim: string[] }
  | { kind: 'public_read' }
  | { kind: 'authenticated_read' }
  | { kind: 'custom'; using: string | null; withCheck: string | null };

export type StorageSource =
  /** Every file under `directory` (relative to the spec), keyed by `prefix` + its path inside it. */
  | { kind: 'directory'; directory: string; prefix: string }
  /**
   * Files under `baseDir`/`under` whose paths (relative to baseDir) a column holds; the key drops
   * the first `stripComponents` folders; `rewrite` sets the column to the key after upload.
   */
  | {
      kind: 'column';
      schema: string;
      table: string;
      column: string;
      baseDir: string;
      under: string | null;
      stripComponents: number;
      rewrite: boolean;
    };

export type VectorType = 'vector' | 'halfvec';
export type VectorDistance = 'cosine' | 'l2' | 'inner_product';
export type WrongLength = 'fail' | 'skip' | 'null';
export type VectorIndex =
  | { method: 'hnsw'; m: number; efConstruction: number }
  | { method: 'ivfflat'; lists: number }
  | { method: 'none' };

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
