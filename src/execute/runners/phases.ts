import { PHASES } from '../../plan/types';
import { checkPhase } from '../phase-checks';
import type { StepFailure } from '../pg-error';
import { parallelGroup } from '../data/post-data';
import { runDataAt, runParallelAt } from './data';
import { runSqlStepAlone } from './sql';
import type { ApplyRun } from './types';

export type PhasesOutcome = { failure: StepFailure | null; interrupted?: boolean };

/**
 * Runs the pending steps in plan order, each committed with its checkpoint. When a phase ends,
 * its check runs, and the next phase starts only when it holds.
 */
export async function runPhases(run: ApplyRun): Promise<PhasesOutcome> {
  let phase: string | null = null;
  const checked = new Set<string>();
  for (let k = 0; k < run.pending.length; ) {
    const { s, i } = run.pending[k];
    if (phase !== null && s.phase !== phase) {
      checked.add(phase);
      const failure = await checkRanPhase(run, phase);
      if (failure) return { failure };
    }
    phase = s.phase;
    if (run.signal?.aborted) return { failure: null, interrupted: true };
    const group = run.runParallel && !run.existing.has(s.id) ? parallelGroup(s) : null;
    const step =
      s.phase === 'data'
        ? await runDataAt(run, k)
        : group
          ? await runParallelAt(run, k, group)
          : { used: 1, failure: (await runSqlStepAlone(run, s, i)) ? null : (run.results[i].failure ?? null) };
    if (step.failure) return { failure: step.failure };
    k += step.used;
  }
  for (const p of PHASES.filter((x) => !checked.has(x))) {
    const failure = await checkRanPhase(run, p);
    if (failure) return { failure };
  }
  return { failure: null };
}

/** The check of a phase over the steps that ran in this apply (early index builds included). */
function checkRanPhase(run: ApplyRun, phase: string): Promise<StepFailure | null> {
  const ran = run.steps.filter((s, j) => s.phase === phase && run.results[j].status === 'executed');
  return checkPhase(run.db, phase, ran);
}
