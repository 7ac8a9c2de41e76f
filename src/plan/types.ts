import type { TableState } from './schema/state';

/**
 * Plans are data: ordered steps, each with the SQL it runs, the SQL that reverses it and a
 * checksum of both. The renderer turns a Plan into files; only the executor runs it.
 */
export type Phase = 'pre-data' | 'data' | 'post-data' | 'security';

export const PHASES: readonly Phase[] = ['pre-data', 'data', 'post-data', 'security'];

export interface Step {
  /** Stable id, e.g. `table:public.users`; unique within a plan. */
  id: string;
  phase: Phase;
  /** What kind of object the step creates: schema, extension, enum, table, index, ... */
  kind: string;
  /** The SQL the step runs (ends with a newline). Data steps hold their copy spec instead. */
  sql: string;
  /** The SQL that undoes it. */
  down: string;
  /** sha256 of sql + down, hex. */
  checksum: string;
  /** Table steps: the table's definition, recorded on apply so a later plan can alter it. */
  state?: TableState;
}

export interface Plan {
  formatVersion: 1;
  engineVersion: string;
  steps: Step[];
  /** Generated files that are not steps (tests, types, function sources), sorted by path. */
  files: GeneratedFile[];
}

export interface GeneratedFile {
  /** Path relative to the spec's folder, forward slashes. */
  path: string;
  content: string;
  /**
   * 'user': written once (a stub), then the user's: re-planning keeps what is on disk, the lock
   * does not hash it, and `contract` (a fingerprint of what it must answer) lets plan --diff say
   * when that changed under the user's code.
   */
  owner?: 'user';
  contract?: string;
}
