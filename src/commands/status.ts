import { withDb } from '../db';
import { type ExecutableStep, loadExecutablePlan, type StatusResult, stepStatus } from '../execute';
import { loadEvolutions } from '../execute/evolution-files';
import type { Spec } from '../spec/types';
import { UserError } from '../errors';
import { verifyPlanLock } from './lock';
import { layoutOf, requireUrl } from './project';

export type { StatusResult };

/** `supamigrate status`: each step of the committed plan, applied or pending on the target. */
export async function statusProject(
  spec: Spec,
  opts: { target?: string; drift?: boolean } = {},
): Promise<StatusResult> {
  const steps: ExecutableStep[] = loadExecutablePlan(spec.dir, layoutOf(spec));
  const url = requireUrl(opts.target, spec, 'target');
  const evolutions = loadEvolutions(spec.dir, layoutOf(spec));
  return withDb(
    url,
    (db) => stepStatus(db, steps, { evolution: spec.evolution, drift: opts.drift, evolutions }),
    'target',
  );
}

export interface OfflineStatus {
  steps: { id: string; phase: string }[];
  /** Why apply would refuse the committed plan (lock mismatch), or null when it matches. */
  lockProblem: string | null;
}

/** `status --offline`: the committed plan and its lock, from the repository alone. */
export function offlineStatus(spec: Spec): OfflineStatus {
  const steps = loadExecutablePlan(spec.dir, layoutOf(spec)).map((s) => ({ id: s.id, phase: s.phase }));
  try {
    verifyPlanLock(spec);
    return { steps, lockProblem: null };
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    return { steps, lockProblem: err.message };
  }
}
