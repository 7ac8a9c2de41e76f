/**
 * The Snapshot: everything the engine knows about a database schema, as plain sorted data.
 * It is committed as `.supamigrate/snapshot.json`, so every array is sorted by a stable key
 * and nothing in it depends on the machine, the clock or object OIDs.
 *
 * Definitions that Postgres can print (`pg_get_indexdef`, `pg_get_constraintdef`, ...) are
 * kept as Postgres prints them with an empty search_path, so every name in them is qualified.
 */

import type {
  CatalogOnlyObject,
  Cast,
  EventTrigger,
  ForeignServer,
  ForeignTable,
  Operator,
  Publication,
  Rule,
  StatisticsObject,
} from './snapshot-kinds';

export type * from './snapshot-kinds';

export const SNAPSHOT_FORMAT = 1;

export interface Snapshot {
  formatVersion: number;
  /** Major server version of the introspected database, e.g. 15. */
  serverVersion: number;
  schemas: SchemaInfo[];
  extensions: Extension[];
  enums: EnumType[];
  domains: DomainType[];
  composites: CompositeType[];
  sequences: Sequence[];
  tables: Table[];
  views: View[];
  functions: Routine[];
  triggers: Trigger[];
  policies: Policy[];
  /** Roles other than the built-in ones that own objects or are granted privileges. */
  roles: Role[];
  /** Privileges granted to the source's own roles (not Supabase's) on every object; absent when none. */
  roleGrants?: RoleGrant[];
  /** Privileges granted to anon, authenticated, service_role and PUBLIC; absent when none. */
  apiGrants?: RoleGrant[];
  /** Sampled lengths of float-array and jsonb-array columns (embedding detection); absent when there are none. */
  arrayLengths?: ArrayLengthSample[];
  /** Policies on storage.objects / storage.buckets (a Supabase-native source); absent when there are none. */
  storagePolicies?: Policy[];
  /** What each object needs created first, from pg_depend (the order pg_dump sorts by); absent when nothing depends. */
  dependencies?: ObjectDependency[];
  /** Collations the schemas define; absent when there are none. */
  collations?: Collation[];
  /** Text search dictionaries and configurations; absent when there are none. */
  textSearchDictionaries?: TextSearchDictionary[];
  textSearchConfigs?: TextSearchConfig[];
  /** Range types; absent when there are none. */
  ranges?: RangeType[];
  /** Rows of Supabase's own tables a Supabase-native source carries (auth.users, ...); absent when none. */
  supabaseTables?: SupabaseTable[];
  /** The application's triggers on auth.users / storage.objects / storage.buckets; absent when none. */
  supabaseTriggers?: Trigger[];
  /** Extended statistics, rules, casts, operators; absent when there are none. */
  statistics?: StatisticsObject[];
  rules?: Rule[];
  casts?: Cast[];
  operators?: Operator[];
  /** Foreign servers and tables, publications, event triggers; absent when there are none. */
  foreignServers?: ForeignServer[];
  foreignTables?: ForeignTable[];
  publications?: Publication[];
  eventTriggers?: EventTrigger[];
  /** Objects read only to be reported as not carried (see snapshot-kinds.ts); absent when there are none. */
  catalogOnly?: CatalogOnlyObject[];
}

export interface RangeType {
  schema: string;
  name: string;
  subtype: string;
  /** Only when not the subtype's default btree opclass. */
  subtypeOpclass: string | null;
  /** Only when not the subtype's own collation. */
  collation: string | null;
  canonical: string | null;
  subtypeDiff: string | null;
  /** The multirange type Postgres creates with it, qualified. */
  multirange: string;
  comment: string | null;
}

export interface Collation {
  schema: string;
  name: string;
  /** c libc, i ICU, d the database default. */
  provider: 'c' | 'i' | 'd';
  deterministic: boolean;
  lcCollate: string | null;
  lcCtype: string | null;
  /** The ICU locale. */
  locale: string | null;
  /** ICU tailoring rules (PostgreSQL 16+). */
  rules: string | null;
  comment: string | null;
}

export interface TextSearchDictionary {
  schema: string;
  name: string;
  /** Qualified template, e.g. `pg_catalog.snowball`. */
  template: string;
  /** The template belongs to an extension, which Supabase installs in schema `extensions`. */
  templateFromExtension: boolean;
  /** dictinitoption as the catalog keeps it, e.g. `language = 'english', stopwords = 'english'`. */
  options: string | null;
  comment: string | null;
}

export interface TextSearchConfig {
  schema: string;
  name: string;
  /** Qualified parser, e.g. `pg_catalog."default"`. */
  parser: string;
  /** Per token type, the dictionaries consulted in order (qualified). */
  mappings: { token: string; dictionaries: string[] }[];
  comment: string | null;
}

/**
 * One object and the objects it depends on, each named as the planner keys them:
 * `schema.name` for relations and types, `schema.name(identity arguments)` for routines.
 */
export interface ObjectDependency {
  object: string;
  dependsOn: string[];
}

export interface ArrayLengthSample {
  /** `schema.table.column`. */
  column: string;
  /** Distinct lengths among the sampled rows, sorted (at most 5). */
  lengths: number[];
}

export interface SchemaInfo {
  name: string;
  owner: string;
  comment: string | null;
}

export interface Extension {
  name: string;
  schema: string;
  version: string;
  /** Qualified names (`schema.name`) of the types and functions the extension owns. */
  members: string[];
}

export interface EnumType {
  schema: string;
  name: string;
  values: string[];
  comment: string | null;
}

export interface DomainType {
  schema: string;
  name: string;
  /** format_type() of the base type, qualified. */
  baseType: string;
  notNull: boolean;
  default: string | null;
  collation: string | null;
  /** Check constraints as pg_get_constraintdef prints them, sorted by name. */
  checks: { name: string; definition: string }[];
  comment: string | null;
}

export interface CompositeType {
  schema: string;
  name: string;
  attributes: { name: string; type: string; collation: string | null }[];
  comment: string | null;
}

export interface Sequence {
  schema: string;
  name: string;
  dataType: string;
  start: string;
  increment: string;
  min: string;
  max: string;
  cache: string;
  cycle: boolean;
  /** `schema.table.column` when the sequence is OWNED BY a column (serial). */
  ownedBy: string | null;
  comment: string | null;
  /** Set only for an UNLOGGED sequence (PostgreSQL 15+: a serial of an unlogged table has one). */
  unlogged?: true;
}

export interface Column {
  name: string;
  /** Position among live columns, 1-based, after dropped columns are skipped. */
  position: number;
  /** format_type(atttypid, atttypmod), qualified where not built in. */
  type: string;
  /** Type category info used by analysis and data moves. */
  typeSchema: string;
  typeName: string;
  isArray: boolean;
  notNull: boolean;
  default: string | null;
  /** 'a' = GENERATED ALWAYS, 'd' = BY DEFAULT, null = not identity. */
  identity: 'a' | 'd' | null;
  identitySequence: IdentityOptions | null;
  /** Expression of a GENERATED ALWAYS AS (...) STORED column. */
  generated: string | null;
  /** Set only when it differs from the type's default; ready for SQL, e.g. `pg_catalog."C"`. */
  collation: string | null;
  comment: string | null;
  /** STORAGE when it differs from the type's: p plain, e external, m main, x extended. */
  storage?: 'p' | 'e' | 'm' | 'x';
  /** A statistics target set on the column (ALTER COLUMN ... SET STATISTICS). */
  statistics?: number;
  /** Attribute options such as n_distinct=-0.02, as the catalog stores them. */
  options?: string[];
}

export interface IdentityOptions {
  start: string;
  increment: string;
  min: string;
  max: string;
  cache: string;
  cycle: boolean;
}

export type ConstraintKind = 'p' | 'u' | 'f' | 'c' | 'x';

export interface Constraint {
  name: string;
  /** p primary key, u unique, f foreign key, c check, x exclusion. */
  kind: ConstraintKind;
  /** pg_get_constraintdef() output. */
  definition: string;
  columns: string[];
  /** For foreign keys: the referenced table as `schema.table` and its columns. */
  refTable: string | null;
  refColumns: string[];
  validated: boolean;
  deferrable: boolean;
  comment: string | null;
}

export interface Index {
  name: string;
  /** pg_get_indexdef() output, qualified. */
  definition: string;
  unique: boolean;
  primary: boolean;
  /** Index backing a constraint (pk, unique, exclusion): created by the constraint. */
  constraint: string | null;
  columns: string[];
  partial: boolean;
  /** Statistics targets set on expression columns (ALTER INDEX ... ALTER COLUMN n SET STATISTICS). */
  statistics?: { column: number; target: number }[];
  comment: string | null;
}

export interface Table {
  schema: string;
  name: string;
  /** r ordinary, p partitioned. */
  kind: 'r' | 'p';
  columns: Column[];
  constraints: Constraint[];
  indexes: Index[];
  /** `schema.table` of the partitioned parent, with the partition bound. */
  partitionOf: string | null;
  partitionBound: string | null;
  /** PARTITION BY clause of a partitioned table, e.g. `RANGE (created_at)`. */
  partitionKey: string | null;
  /** Parents of a table that uses plain inheritance. */
  inherits: string[];
  rlsEnabled: boolean;
  rlsForced: boolean;
  /** 'd' default, 'n' nothing, 'f' full, 'i' index. */
  replicaIdentity: string;
  owner: string;
  /** Estimated rows (pg_class.reltuples, -1 when never analysed) and size in bytes. */
  estimatedRows: number;
  sizeBytes: number;
  comment: string | null;
  grants: Grant[];
  /** Set only for an UNLOGGED table. */
  unlogged?: true;
  /** Storage parameters (reloptions) such as fillfactor=70, when the table has any. */
  options?: string[];
}

export interface View {
  schema: string;
  name: string;
  materialized: boolean;
  /** pg_get_viewdef() output. */
  definition: string;
  columns: { name: string; type: string; notNull: boolean }[];
  /** reloptions such as security_invoker=true, check_option=local. */
  options: string[];
  /** Relations (`schema.name`) this view reads, for ordering. */
  dependsOn: string[];
  /** Indexes on a materialized view. */
  indexes: Index[];
  owner: string;
  comment: string | null;
  grants: Grant[];
  /** What Postgres allows through the view (absent in snapshots written before it was read). */
  writes?: ViewWrites;
  /** view column -> [schema, relation, column] it shows unchanged, from the view's rewrite rule (absent likewise). */
  origins?: Record<string, [string, string, string]>;
}

/** INSERT/UPDATE through a view, INSTEAD OF triggers and rules counted, and the columns that take writes. */
export interface ViewWrites {
  insert: boolean;
  update: boolean;
  columns: string[];
}

export interface Routine {
  schema: string;
  name: string;
  /** pg_get_function_identity_arguments(): unique signature text. */
  identityArgs: string;
  /** f function, p procedure, a aggregate, w window. */
  kind: 'f' | 'p' | 'a' | 'w';
  /** pg_get_functiondef() (empty for aggregates, which are not re-created). */
  definition: string;
  language: string;
  returns: string;
  returnsSet: boolean;
  securityDefiner: boolean;
  volatility: 'i' | 's' | 'v';
  /** Arguments as the catalog states them, for types generation. */
  args: { name: string; type: string; mode: 'i' | 'o' | 'b' | 'v' | 't'; hasDefault: boolean }[];
  /** Relations whose row types appear in the signature or a SQL-standard body depends on. */
  dependsOn: string[];
  owner: string;
  comment: string | null;
  /** Aggregates: their support functions outside pg_catalog, keyed `schema.name(args)`. */
  uses?: string[];
  /** SECURITY DEFINER only: roles (and `public`) holding EXECUTE at the source. */
  executeGrantees?: string[];
}

export interface Trigger {
  schema: string;
  table: string;
  name: string;
  /** pg_get_triggerdef() output. */
  definition: string;
  function: string;
  enabled: string;
  isConstraint: boolean;
  /** Set only when the trigger has a comment. */
  comment?: string;
}

/** A Supabase table (auth.users, auth.identities, storage.buckets) whose rows move with the application. */
export interface SupabaseTable {
  schema: string;
  name: string;
  /** Written columns (generated ones left out) with their source types, in position order. */
  columns: { name: string; type: string }[];
  key: string[];
}

export interface Policy {
  schema: string;
  table: string;
  name: string;
  permissive: boolean;
  command: 'r' | 'a' | 'w' | 'd' | '*';
  roles: string[];
  using: string | null;
  withCheck: string | null;
  /** Set only when the policy has a comment. */
  comment?: string;
}

export interface Role {
  name: string;
  canLogin: boolean;
  superuser: boolean;
  bypassRls: boolean;
  memberOf: string[];
}

export interface Grant {
  grantee: string;
  privileges: string[];
}

export const qualified = (o: { schema: string; name: string }): string => `${o.schema}.${o.name}`;

/** One privilege a source role holds on one object (aclexplode), as the plan re-grants it. */
export interface RoleGrant {
  grantee: string;
  kind: 'table' | 'sequence' | 'column' | 'function' | 'procedure' | 'schema' | 'type' | 'domain';
  schema: string;
  /** The object's name; for a column, its table; for a schema, the schema again. */
  name: string;
  /** A column's name, or a routine's identity arguments. */
  detail?: string;
  privilege: string;
  grantable?: true;
}
