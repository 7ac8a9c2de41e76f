import { withDb } from '../db';
import { type ExecutableStep, loadExecutablePlan, type StatusResult, stepStatus } from '../execute';
import { loadEvolutions } from '../execute/evolution-files';
import type { Spec } from '../spec/types';
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
