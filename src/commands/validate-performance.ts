import { withDb } from '../db';
import { securityContext } from '../plan/security';
import { toPerformanceSpec } from '../spec/performance';
import type { Spec } from '../spec/types';
import { validatePerformance, type PerformanceValidation } from '../validate/performance';
import { samplesDir } from '../validate/performance/samples';
import { readSnapshot } from './project';

/** validate --performance: the workload on both sides, values sampled once into the state folder. */
export function performanceCheck(
  spec: Spec,
  sourceUrl: string,
  targetUrl: string,
  progress?: (done: number, total: number, name?: string) => void,
): Promise<PerformanceValidation> {
  const snapshot = readSnapshot(spec);
  const input = {
    snapshot,
    ctx: securityContext(snapshot, spec),
    perf: spec.performance ?? toPerformanceSpec(undefined),
    samplesDir: samplesDir(spec.dir, spec.output.stateDir),
  };
  return withDb(
    sourceUrl,
    (src) => withDb(targetUrl, (tgt) => validatePerformance(src, tgt, input, progress), 'target'),
    'source',
  );
}
