/**
 * Snapshot shapes of the kinds that pg_dump carries besides tables, types and routines:
 * statistics objects, rules, casts, operators, foreign servers and tables, publications and
 * event triggers, plus what the snapshot records only so that it can be reported as not
 * carried (operator classes, wrappers, base types, user mappings). Every name is qualified,
 * as Postgres prints it with an empty search_path.
 */

export interface StatisticsObject {
  schema: string;
  name: string;
  /** `schema.table` it is on. */
  table: string;
  /** pg_get_statisticsobjdef() output. */
  definition: string;
  /** ALTER STATISTICS ... SET STATISTICS, when set. */
  target: number | null;
  comment: string | null;
}

export interface Rule {
  schema: string;
  table: string;
  name: string;
  /** pg_get_ruledef() output, ending with `;`. */
  definition: string;
  /** O origin (enabled), D disabled, R replica, A always. */
  enabled: string;
  comment: string | null;
}

export interface Cast {
  /** format_type of the source and target types, qualified. */
  source: string;
  target: string;
  /** The function as the planner keys routines, `schema.name(args)`; null WITHOUT FUNCTION / INOUT. */
  function: string | null;
  /** The function as SQL names it in CREATE CAST, e.g. `public.to_cents(numeric)`. */
  signature: string | null;
  /** e explicit, a assignment, i implicit. */
  context: 'e' | 'a' | 'i';
  /** f function, b binary coercible, i inout. */
  method: 'f' | 'b' | 'i';
  comment: string | null;
}

export interface Operator {
  schema: string;
  name: string;
  left: string | null;
  right: string | null;
  /** The function key, `schema.name(args)`, and its qualified name. */
  function: string;
  procedure: string;
  commutator: string | null;
  negator: string | null;
  restrict: string | null;
  join: string | null;
  hashes: boolean;
  merges: boolean;
  comment: string | null;
}

export interface ForeignServer {
  name: string;
  wrapper: string;
  /** The extension that brings the wrapper (postgres_fdw, wrappers), null for one made by hand. */
  wrapperExtension: string | null;
  type: string | null;
  version: string | null;
  /** `key 'value'` pairs, ready for OPTIONS (...). */
  options: string[];
  /** Roles with a user mapping for this server (its options hold credentials and are not read). */
  userMappings: string[];
  comment: string | null;
}

export interface ForeignTable {
  schema: string;
  name: string;
  server: string;
  columns: { name: string; type: string; notNull: boolean; options: string[] }[];
  options: string[];
  comment: string | null;
}

export interface Publication {
  name: string;
  allTables: boolean;
  /** Schemas published as a whole (FOR TABLES IN SCHEMA). */
  schemas: string[];
  tables: { table: string; columns: string[] | null; where: string | null }[];
  /** Published actions among insert, update, delete, truncate. */
  actions: string[];
  viaRoot: boolean;
  comment: string | null;
}

export interface EventTrigger {
  name: string;
  event: string;
  tags: string[];
  /** Function key, `schema.name()`, and its qualified name. */
  function: string;
  procedure: string;
  /** O origin (enabled), D disabled, R replica, A always. */
  enabled: string;
  comment: string | null;
}

/** Objects that exist only so they can be named as not carried: no planner builds them. */
export interface CatalogOnlyObject {
  /** operator-class, operator-family, foreign-data-wrapper, base-type. */
  kind: 'operator-class' | 'operator-family' | 'foreign-data-wrapper' | 'base-type';
  /** `schema.name` (a wrapper has no schema), with ` using <method>` for operator classes and families. */
  name: string;
  /** Built-in or extension-owned handler, or C functions behind it: what decides whether Supabase can hold it. */
  detail: string;
}
