import { bootstrap, isSupabaseShaped } from '../bootstrap';
import { type Db, redactUrl, withDb } from '../db';
import { UserError } from '../errors';
import {
  type ApplyResult,
  applySteps,
  type ExecutableStep,
  loadExecutablePlan,
  rollbackSteps,
  type RollbackResult,
  type RollbackTarget,
  type StatusResult,
  stepStatus,
  type StepResult,
} from '../execute';
import type { DataEvent } from '../execute/data';
import type { Spec } from '../spec/types';
import { dataRunner } from './data-runner';
import { requireVectorSupport } from './vector-support';
import { layoutOf, requireUrl } from './project';

export type { ApplyResult, RollbackResult, StatusResult };

export async function bootstrapTarget(url: string) {
  return withDb(url, (db) => bootstrap(db), 'target');
}

async function requireSupabaseShape(db: Db, url: string): Promise<void> {
  const shape = await isSupabaseShaped(db);
  if (!shape.ok) {
    throw new UserError(
      `the target ${redactUrl(url)} is not a Supabase database (missing: ${shape.missing.join(', ')})`,
      `point --target at a Supabase project, or for local work run \`supamigrate bootstrap --target ${redactUrl(url)}\``,
    );
  }
}

export interface ApplyProjectOptions {
  target?: string;
  source?: string;
  dryRun?: boolean;
  onData?: (e: DataEvent) => void;
  onStep?: (r: StepResult, index: number, total: number) => void;
}

/** Applies the committed plan to the target. */
export async function applyProject(spec: Spec, opts: ApplyProjectOptions = {}): Promise<ApplyResult> {
  const steps = loadExecutablePlan(spec.dir, layoutOf(spec));
  const url = requireUrl(opts.target, spec.target.url, 'target');
  return withDb(url, async (db) => {
    await requireSupabaseShape(db, url);
    await requireVectorSupport(db, url, steps);
    const runData = steps.some((s) => s.phase === 'data')
      ? dataRunner({ sourceUrl: () => requireUrl(opts.source, spec.source.url, 'source'), targetUrl: url, target: db, spec, onEvent: opts.onData })
      : undefined;
    return applySteps(db, steps, { dryRun: opts.dryRun, statementTimeoutSeconds: spec.options.timeoutSeconds, onStep: opts.onStep, runData });
  }, 'target');
}

export async function statusProject(spec: Spec, opts: { target?: string } = {}): Promise<StatusResult> {
  const steps: ExecutableStep[] = loadExecutablePlan(spec.dir, layoutOf(spec));
  const url = requireUrl(opts.target, spec.target.url, 'target');
  return withDb(url, (db) => stepStatus(db, steps), 'target');
}

export async function rollbackProject(
  spec: Spec,
  target: RollbackTarget,
  opts: { target?: string; onStep?: (id: string) => void } = {},
): Promise<RollbackResult> {
  const url = requireUrl(opts.target, spec.target.url, 'target');
  return withDb(url, (db) => rollbackSteps(db, target, opts.onStep), 'target');
}
