import type { Db } from '../../db';
import type { EvolutionPlan, EvolutionStep } from '../../plan/evolve';
import type { ExecutableStep } from '../executable';
import type { ExistingObject } from '../existing';
import type { StepFailure } from '../pg-error';
import type { StepLimits } from '../steps/transaction';

export type StepStatus = 'executed' | 'skipped' | 'changed' | 'failed' | 'not-run' | 'checked' | 'evolved' | 'adopted';

export interface StepResult {
  id: string;
  phase: string;
  kind: string;
  status: StepStatus;
  ms: number;
  /** The failure as a person reads it (file:line, statement, code, detail, hint). */
  error?: string;
  /** The same failure as data. */
  failure?: StepFailure;
}

export interface EvolutionResult {
  revision: string;
  steps: (StepResult & Pick<EvolutionStep, 'action' | 'target' | 'summary' | 'sql' | 'reverse' | 'destructive'>)[];
}

/** A pending step and its place in the plan (and in the results). */
export interface Pending {
  s: ExecutableStep;
  i: number;
}

/** Runs data steps of one kind; maps each step id to its error, or null once complete. */
export type DataRunner = (
  steps: ExecutableStep[],
  dryRunTarget?: Db,
  followers?: ExecutableStep[],
) => Promise<Map<string, string | null>>;

/** Runs independent post-data steps side by side, each with its checkpoint on its own connection. */
export type ParallelRunner = (
  steps: ExecutableStep[],
  onDone: (id: string, error: string | null, ms: number) => void,
) => Promise<Map<string, { error: string | null }>>;

/** One apply in progress: what the runners share. */
export interface ApplyRun {
  db: Db;
  steps: ExecutableStep[];
  results: StepResult[];
  pending: Pending[];
  existing: Map<string, ExistingObject>;
  lastOfFile: Map<string, string>;
  limits: StepLimits;
  dryRun: boolean;
  evolution: EvolutionPlan | null;
  evolutionResults: EvolutionResult | null;
  runData?: DataRunner;
  runParallel?: ParallelRunner;
  signal?: AbortSignal;
  onStep?: (r: StepResult, index: number, total: number) => void;
  /** Progress is reported once the step's transaction has committed (or failed), never before. */
  report: (i: number) => void;
}

/** Leaves a transaction (rolling it back) with the failure that stopped it. */
export class StepStopped extends Error {
  constructor(readonly failure: StepFailure) {
    super(failure.message);
  }
}
