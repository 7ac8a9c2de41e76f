import type { Snapshot } from '../introspect/snapshot';
import type { UnsupportedObject } from './unsupported';
/**
 * The Analysis: what `supamigrate analyze` knows about a source database, derived purely from
 * its Snapshot. Every list is sorted so two runs over the same snapshot give identical data.
 */
export interface Analysis {
  summary: Summary;
  relationships: Relationships;
  patterns: Pattern[];
  complexity: Complexity;
  risks: Risk[];
  /** Risks of objects the spec leaves out (counted apart, not as risks of the migration); absent when none. */
  excludedRisks?: Risk[];
  estimate: Estimate;
  /** Source objects Supabase cannot hold: named with why, skipped on purpose, never planned. */
  notCarried: UnsupportedObject[];
  /** `schema.table: columns` whose names look like secrets (never granted to the API roles). */
  sensitive: string[];
}

export interface Summary {
  schemas: number;
  tables: number;
  columns: number;
  views: number;
  materializedViews: number;
  functions: number;
  triggers: number;
  sequences: number;
  enums: number;
  domains: number;
  policies: number;
  extensions: number;
  estimatedRows: number;
  totalBytes: number;
}

export interface ForeignKeyEdge {
  /** Referencing table, `schema.table`. */
  from: string;
  /** Referenced table, `schema.table` (may lie outside the snapshot, e.g. auth.users). */
  to: string;
  constraint: string;
  columns: string[];
  refColumns: string[];
}

export interface Relationships {
  edges: ForeignKeyEdge[];
  /** Tables that neither reference nor are referenced by another table. */
  isolated: string[];
  /** Strongly connected groups of tables: more than one table, or one that references itself. */
  cycles: string[][];
  /** Every snapshot table, parents before children where the graph allows it. */
  loadOrder: string[];
  /** Foreign keys whose parent is not loaded strictly before the child: defer them or add them after the data. */
  deferredEdges: ForeignKeyEdge[];
}

export type Confidence = 'high' | 'medium' | 'low';

export type PatternKind =
  | 'tenant'
  | 'owner'
  | 'users-table'
  | 'membership'
  | 'soft-delete'
  | 'audit-timestamps'
  | 'publish-flag'
  | 'embedding'
  | 'file-path'
  | 'enum'
  | 'json-not-jsonb';

export interface Pattern {
  kind: PatternKind;
  /** The table the pattern was seen on (for an enum nobody uses: the enum type itself). */
  table: string;
  columns: string[];
  confidence: Confidence;
  evidence: string;
}

export type Tier = 'simple' | 'platform' | 'enterprise';

export interface ComplexityInput {
  name: string;
  value: number;
  weight: number;
  points: number;
}

export interface Complexity {
  score: number;
  tier: Tier;
  inputs: ComplexityInput[];
}

export type Severity = 'high' | 'medium' | 'low';

export interface Risk {
  /** Stable identifier, e.g. `no-primary-key`. */
  code: string;
  severity: Severity;
  /** The object concerned: `schema.table`, `schema.table.column`, an extension, a role. */
  object: string;
  why: string;
  mitigation: string;
}

export interface Estimate {
  seconds: number;
  breakdown: { ddlSeconds: number; copySeconds: number; indexSeconds: number };
  assumptions: string[];
}

export interface AnalyzeOptions {
  /** Rows per second the COPY path sustains (default 100,000). */
  rowsPerSecond?: number;
  /** pgvector on the target, when the analysis could ask it (analyze with a reachable target). */
  targetVector?: 'installed' | 'available' | 'missing';
  /** The objects the spec migrates (selectObjects of the snapshot); risks of the others are set apart. */
  selected?: Snapshot;
}
