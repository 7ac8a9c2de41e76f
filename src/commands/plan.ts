import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { namesSummary } from '../plan/schema/names-summary';
import { join } from 'node:path';
import { buildPlan } from '../plan';
import { readStorageInventory } from '../execute/storage/inventory';
import type { GeneratedFile, Plan } from '../plan/types';
import { renderPlan } from '../render';
import type { Spec } from '../spec/types';
import { UserError } from '../errors';
import { loadExecutablePlan } from '../execute';
import { planLockFor, verifyPlanLock } from './lock';
import { layoutOf, readSnapshot, writeFiles } from './project';

export interface PlanResult {
  plan: Plan;
  files: GeneratedFile[];
  /** Files written (plan) or found different from what would be generated (check). */
  changed: string[];
  /** Generated-looking files on disk that the plan no longer produces. */
  stale: string[];
  /** Schemas renamed, extensions moved to `extensions` or kept where the source had them. */
  names: string[];
}

/** Spec + committed snapshot -> generated files. With check, nothing is written. */
export function planProject(spec: Spec, opts: { check?: boolean } = {}): PlanResult {
  const snapshot = readSnapshot(spec);
  const plan = buildPlan(spec, snapshot, readStorageInventory(spec));
  const names = namesSummary(snapshot, spec.schema);
  const layout = layoutOf(spec);
  const planned = renderPlan(plan, layout);
  const files = [...planned, planLockFor(spec, planned)].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const stale = staleFiles(spec, files);
  if (opts.check) {
    const changed = files
      .filter((f) => {
        const path = join(spec.dir, f.path);
        return !existsSync(path) || readFileSync(path, 'utf8') !== f.content;
      })
      .map((f) => f.path);
    return { plan, files, changed, stale, names };
  }
  return { plan, files, changed: writeFiles(spec.dir, files), stale, names };
}

/** Our migration files are named `<version>_<name>_<phase>.sql`; others in the folder are the user's. */
function staleFiles(spec: Spec, files: GeneratedFile[]): string[] {
  const folder = `${spec.output.supabaseDir}/migrations`;
  const dir = join(spec.dir, folder);
  if (!existsSync(dir)) return [];
  const expected = new Set(files.map((f) => f.path));
  const ours = new RegExp(`^2000010100\\d{4}_${spec.name}_[a-z_]+\\.sql$`);
  return readdirSync(dir)
    .filter((n) => ours.test(n))
    .map((n) => `${folder}/${n}`)
    .filter((p) => !expected.has(p))
    .sort();
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
