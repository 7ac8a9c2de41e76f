import type { Snapshot } from '../introspect/snapshot';
import type { Spec } from '../spec/types';
import { ENGINE_VERSION } from '../version';
import { planSchema } from './schema';
import type { Plan, Step } from './types';

export type { Plan, Step, Phase, GeneratedFile } from './types';
export { PHASES } from './types';

/** Spec + Snapshot -> Plan. Pure: the same inputs give the same plan on any machine. */
export function buildPlan(spec: Spec, snapshot: Snapshot): Plan {
  const steps: Step[] = [...planSchema(snapshot, spec.schema)];
  assertUniqueIds(steps);
  return Object.freeze({ formatVersion: 1, engineVersion: ENGINE_VERSION, steps: Object.freeze(steps) as Step[] });
}

function assertUniqueIds(steps: Step[]): void {
  const seen = new Set<string>();
  for (const s of steps) {
    if (seen.has(s.id)) throw new Error(`internal: two plan steps share the id ${s.id}`);
    seen.add(s.id);
  }
}
