import type { Db } from '../db';
import { type Checkpoint, readCheckpoints } from './checkpoints';
import type { ExecutableStep } from './executable';

export type StepState = 'applied' | 'pending' | 'changed';

export interface StatusResult {
  steps: { id: string; phase: string; state: StepState; seq: number | null; appliedAt: string | null }[];
  applied: number;
  pending: number;
  changed: number;
  /** Checkpoints on the target for steps the current plan no longer has. */
  orphaned: { id: string; seq: number }[];
}

/** Applied / pending / changed per planned step, from the target's checkpoints. */
export async function stepStatus(db: Db, steps: ExecutableStep[]): Promise<StatusResult> {
  const checkpoints = await readCheckpoints(db);
  const byId = new Map<string, Checkpoint>(checkpoints.map((c) => [c.stepId, c]));
  const planned = new Set(steps.map((s) => s.id));
  const rows = steps.map((s) => {
    const c = byId.get(s.id);
    const state: StepState = !c ? 'pending' : c.checksum === s.checksum ? 'applied' : 'changed';
    return { id: s.id, phase: s.phase, state, seq: c?.seq ?? null, appliedAt: c?.appliedAt ?? null };
  });
  const count = (st: StepState) => rows.filter((r) => r.state === st).length;
  return {
    steps: rows,
    applied: count('applied'),
    pending: count('pending'),
    changed: count('changed'),
    orphaned: checkpoints.filter((c) => !planned.has(c.stepId)).map((c) => ({ id: c.stepId, seq: c.seq })),
  };
}
