import type { Db } from '../db';
import { type EvolutionPlan, planEvolution } from '../plan/evolve';
import type { EvolutionSpec } from '../spec/types';
import { type Checkpoint, readCheckpoints } from './checkpoints';
import { EVOLUTION_KIND, recordedSteps } from './evolve';
import { asPlanned, type ExecutableStep } from './executable';
import { detectDrift, type DriftResult } from './fingerprint';
import { missingObjects, pushedSteps } from './adopt';
import type { LoadedEvolution } from './evolution-files';
import { migrationHistory, routeEvolutions } from './evolution-route';

export type StepState = 'applied' | 'pending' | 'changed';

export interface StatusResult {
  steps: { id: string; phase: string; state: StepState; seq: number | null; appliedAt: string | null }[];
  applied: number;
  pending: number;
  changed: number;
  /** Checkpoints on the target for steps the current plan no longer has. */
  orphaned: { id: string; seq: number }[];
  /**
   * What apply would run to move this applied target to the plan: the plan's files describe a
   * fresh target, so these steps exist only here (and in `apply --dry-run`). Null when nothing
   * was applied yet.
   */
  evolution: EvolutionPlan | null;
  /** With `drift`: objects the plan owns that changed outside supamigrate since the last apply. */
  drift?: DriftResult;
  /**
   * Steps `supabase db push` applied (their versions are in Supabase's history, supamigrate
   * recorded nothing): counted as applied once their objects are found; apply adopts them.
   */
  pushed: { steps: number; missing: string[] };
}

/** Applied / pending / changed per planned step, from the target's checkpoints. */
export async function stepStatus(
  db: Db,
  steps: ExecutableStep[],
  opts: { evolution?: EvolutionSpec; drift?: boolean; evolutions?: LoadedEvolution[] } = {},
): Promise<StatusResult> {
  const all = await readCheckpoints(db);
  const history = await migrationHistory(db);
  const pushed = pushedSteps(steps, all, history);
  const missing = await missingObjects(db, pushed);
  const adopted: Checkpoint[] =
    missing.length > 0
      ? []
      : pushed.map((s) => ({
          seq: 0,
          stepId: s.id,
          phase: s.phase,
          kind: s.kind,
          checksum: s.checksum,
          down: s.down,
          file: s.file,
          appliedAt: '',
          up: s.body,
          state: s.state ?? null,
        }));
  const checkpoints = [...all.filter((c) => c.kind !== EVOLUTION_KIND), ...adopted];
  const fromFiles = routeEvolutions(recordedSteps(checkpoints), opts.evolutions ?? [], history);
  const evolution =
    fromFiles ??
    (opts.evolution && checkpoints.length > 0
      ? planEvolution(recordedSteps(checkpoints), steps.map(asPlanned), opts.evolution)
      : null);
  const byId = new Map<string, Checkpoint>(checkpoints.map((c) => [c.stepId, c]));
  const planned = new Set(steps.map((s) => s.id));
  const rows = steps.map((s) => {
    const c = byId.get(s.id);
    const state: StepState = !c ? 'pending' : c.checksum === s.checksum ? 'applied' : 'changed';
    return { id: s.id, phase: s.phase, state, seq: c?.seq || null, appliedAt: c?.appliedAt || null };
  });
  const count = (st: StepState) => rows.filter((r) => r.state === st).length;
  return {
    steps: rows,
    applied: count('applied'),
    pending: count('pending'),
    changed: count('changed'),
    orphaned: checkpoints.filter((c) => !planned.has(c.stepId)).map((c) => ({ id: c.stepId, seq: c.seq })),
    evolution,
    pushed: { steps: pushed.length, missing },
    ...(opts.drift ? { drift: await detectDrift(db) } : {}),
  };
}
