/**
 * What a table step records about the table it creates, so that a later plan can be reached by
 * ALTER TABLE instead of drop and re-create. Texts are exactly the SQL fragments the table's
 * CREATE TABLE uses, so an alteration built from them creates what a fresh apply would.
 */
export interface ColumnState {
  name: string;
  /** Type as written in the CREATE TABLE (target names). */
  type: string;
  /** `collate ...` operand, or null. */
  collation: string | null;
  default: string | null;
  /** The whole `generated ... as identity (...)` clause, or null. */
  identity: string | null;
  /** Expression of a stored generated column, or null. */
  generated: string | null;
  notNull: boolean;
  comment: string | null;
}

export interface TableState {
  /** Target schema and table name. */
  schema: string;
  name: string;
  columns: ColumnState[];
  /** Check constraints created with the table (validated ones). */
  checks: { name: string; definition: string }[];
  comment: string | null;
  /** Partitioning, inheritance and replica identity: these cannot be altered in place. */
  shape: string;
}
