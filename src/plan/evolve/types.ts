import type { TableState } from '../schema/state';

/** A step as the target recorded it when it was applied (a row of supamigrate.checkpoints). */
export interface RecordedStep {
  seq: number;
  id: string;
  phase: string;
  kind: string;
  checksum: string;
  /** The SQL it ran; null on rows written before evolution existed. */
  up: string | null;
  down: string;
  file: string | null;
  state: TableState | null;
}

/** A step of the new plan, as the executor loads it from the reviewed files. */
export interface PlannedStep {
  id: string;
  phase: string;
  kind: string;
  checksum: string;
  sql: string;
  down: string;
  file: string | null;
  state?: TableState;
}

/** One checkpoint row an evolution step replaces (before) with another (after), at the same seq. */
export interface RowChange {
  seq: number;
  before: RecordedStep | null;
  after: RecordedStep | null;
}

export type EvolutionAction = 'rename' | 'retire' | 'forget' | 'alter' | 'carry' | 'overwrite' | 'create';

/**
 * One change that moves the target from its recorded plan towards the new one. It runs `sql`
 * and rewrites the checkpoint rows in `changes`; `reverse` and the before-rows undo it.
 */
export interface EvolutionStep {
  id: string;
  action: EvolutionAction;
  /** The plan step (or recorded step) it concerns. */
  target: string;
  /** One line for a person: what happens to which object. */
  summary: string;
  sql: string;
  reverse: string;
  changes: RowChange[];
  /** Objects (`schema.table`, `schema.table.column`, `schema`) it destroys or narrows. */
  destructive: string[];
  /** From an evolution file: a step of the new plan, recorded as that plan step (action create). */
  create?: { phase: string; kind: string; checksum: string; file: string; state?: TableState };
  /** From an evolution file that `supabase db push` already ran: record it, run nothing. */
  adopted?: boolean;
  /** Runs after the evolution's transaction, on its own, recorded once it finished. */
  nonTransactional?: true;
}

export interface EvolutionPlan {
  /** Short hash of the new plan: evolution checkpoints of one revision share it. */
  revision: string;
  steps: EvolutionStep[];
  /** Destructive changes the spec does not allow, with what they destroy. */
  refused: { object: string; by: string; reason: string }[];
  /** Changes the engine cannot make in place (step id and why). */
  blocked: { id: string; reason: string }[];
}
