import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPlan } from '../plan';
import { readStorageInventory } from '../execute/storage/inventory';
import type { GeneratedFile, Plan } from '../plan/types';
import { renderPlan } from '../render';
import type { Spec } from '../spec/types';
import { planLockFor } from './lock';
import { layoutOf, readSnapshot, writeFiles } from './project';

export interface PlanResult {
  plan: Plan;
  files: GeneratedFile[];
  /** Files written (plan) or found different from what would be generated (check). */
  changed: string[];
  /** Generated-looking files on disk that the plan no longer produces. */
  stale: string[];
}

/** Spec + committed snapshot -> generated files. With check, nothing is written. */
export function planProject(spec: Spec, opts: { check?: boolean } = {}): PlanResult {
  const plan = buildPlan(spec, readSnapshot(spec), readStorageInventory(spec));
  const layout = layoutOf(spec);
  // A user-owned file (a hand-ported handler) is planned as what is on disk once it exists.
  const planned = renderPlan(plan, layout).map((f) => (f.owner === 'user' && existsSync(join(spec.dir, f.path)) ? { ...f, content: readFileSync(join(spec.dir, f.path), 'utf8') } : f));
  const files = [...planned, planLockFor(spec, planned)].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const stale = staleFiles(spec, files);
  if (opts.check) {
    const changed = files
      .filter((f) => {
        const path = join(spec.dir, f.path);
        return !existsSync(path) || readFileSync(path, 'utf8') !== f.content;
      })
      .map((f) => f.path);
    return { plan, files, changed, stale };
  }
  return { plan, files, changed: writeFiles(spec.dir, files), stale };
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
