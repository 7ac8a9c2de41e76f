import type { Snapshot } from '../introspect/snapshot';
import type { Spec } from '../spec/types';
import { ENGINE_VERSION } from '../version';
import { dataSteps } from './data/steps';
import { planSchema } from './schema';
import { planTypeFiles } from './types/index';
import { planSecurity, roleOnTarget, withoutReplacedPolicies } from './security';
import { planStorage, type StorageInventory } from './storage';
import { planConfigFile, planFunctions } from './functions';
import { planVectors } from './vectors';
import type { GeneratedFile, Plan, Step } from './types';

export type { Plan, Step, Phase, GeneratedFile } from './types';
export { PHASES } from './types';

/** Spec + Snapshot -> Plan. Pure: the same inputs give the same plan on any machine. */
export function buildPlan(spec: Spec, snapshot: Snapshot, storageFiles: StorageInventory = {}): Plan {
  // pgvector: converted columns are typed in the tables' CREATE and converted by the load.
  const vectors = planVectors(snapshot, spec);
  const roleOf = (role: string) => roleOnTarget(spec.security.roles, role);
  const schema = withoutReplacedPolicies(planSchema(vectors.schemaSnapshot, spec.schema, roleOf), snapshot, spec);
  const security = planSecurity(snapshot, spec);
  // The source's own roles exist before the source's policies that name them are created.
  const roles = security.steps.filter((s) => s.kind === 'role');
  // Buckets and their policies with the security work; file transfers last, once rows are in.
  const storage = planStorage(spec, snapshot, storageFiles);
  // Data loads between pre-data and post-data, as pg_restore does: keys, indexes and foreign
  // keys are built once over loaded tables instead of maintained row by row.
  const steps: Step[] = [
    ...schema.filter((s) => s.phase === 'pre-data'),
    ...dataSteps(snapshot, spec, { expressions: vectors.expressions, filters: vectors.filters }),
    ...schema.filter((s) => s.phase === 'post-data'),
    ...vectors.steps,
    ...roles,
    ...schema.filter((s) => s.phase !== 'pre-data' && s.phase !== 'post-data'),
    ...security.steps.filter((s) => s.kind !== 'role'),
    ...storage.steps,
    ...storage.transfers,
  ];
  assertUniqueIds(steps);
  const functions = planFunctions(snapshot, spec);
  const files: GeneratedFile[] = [
    ...security.files,
    ...planTypeFiles(vectors.typesSnapshot, spec),
    ...storage.files,
    ...functions.files,
    ...planConfigFile(spec, functions.config),
  ];
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return Object.freeze({
    formatVersion: 1,
    engineVersion: ENGINE_VERSION,
    steps: Object.freeze(steps) as Step[],
    files,
  });
}

function assertUniqueIds(steps: Step[]): void {
  const seen = new Set<string>();
  for (const s of steps) {
    if (seen.has(s.id)) throw new Error(`internal: two plan steps share the id ${s.id}`);
    seen.add(s.id);
  }
}
