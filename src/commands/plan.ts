import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { namesSummary } from '../plan/schema/names-summary';
import { staleViewFacts } from '../plan/types/view-writes';
import { join } from 'node:path';
import { buildPlan } from '../plan';
import { readStorageInventory } from '../execute/storage/inventory';
import type { GeneratedFile, Plan } from '../plan/types';
import { renderPlan } from '../render';
import type { Spec } from '../spec/types';
import { describeRewrite } from '../plan/evolve/file';
import { planHistory } from './history';
import { planLockFor } from './lock';
import { layoutOf, readSnapshot, writeFiles } from './project';
import { checkSkippedObjects } from './plan-skips';
import type { UnsupportedObject } from '../analyze/unsupported';

export interface PlanResult {
  plan: Plan;
  files: GeneratedFile[];
  /** Files written (plan) or found different from what would be generated (check). */
  changed: string[];
  /** Generated-looking files on disk that the plan no longer produces. */
  stale: string[];
  /** Schemas renamed, extensions moved to `extensions` or kept where the source had them. */
  names: string[];
  /** The evolution file this plan adds after the committed base plan, if any. */
  evolution: string | null;
  /** Its type changes that rewrite a table, with the table's size (one line each). */
  rewrites: string[];
  /** Source objects Supabase cannot hold, skipped on purpose by the spec (not planned). */
  skipped: UnsupportedObject[];
}

/**
 * Spec + committed snapshot -> generated files. With check, nothing is written. When the plan
 * differs from the one committed at the base (`base`, else the default branch), an evolution
 * file moves a database from that plan to this one.
 */
export function planProject(spec: Spec, opts: { check?: boolean; base?: string } = {}): PlanResult {
  const snapshot = readSnapshot(spec);
  const names = [...namesSummary(snapshot, spec.schema), ...staleViewFacts(snapshot)];
  const skipped = checkSkippedObjects(spec, snapshot);
  const plan = buildPlan(spec, snapshot, readStorageInventory(spec));
  const history = planHistory(spec, layoutOf(spec), plan, snapshot, opts.base);
  const layout = { ...layoutOf(spec), versions: history.history.versions };
  // A user-owned file (a hand-ported handler) is planned as what is on disk once it exists.
  const planned = [...renderPlan(plan, layout), ...history.files].map((f) =>
    f.owner === 'user' && existsSync(join(spec.dir, f.path))
      ? { ...f, content: readFileSync(join(spec.dir, f.path), 'utf8') }
      : f,
  );
  const files = [...planned, planLockFor(spec, planned, history.history)].sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
  );
  const evolution = history.added?.file ?? null;
  const rewrites = history.rewrites.map(describeRewrite);
  const stale = staleFiles(spec, files);
  if (opts.check) {
    const changed = files
      .filter((f) => {
        const path = join(spec.dir, f.path);
        return !existsSync(path) || readFileSync(path, 'utf8') !== f.content;
      })
      .map((f) => f.path);
    return { plan, files, changed, stale, evolution, rewrites, names, skipped };
  }
  return { plan, files, changed: writeFiles(spec.dir, files), stale, evolution, rewrites, names, skipped };
}

/** Our migration files are named `<version>_<name>_<phase>.sql`; others in the folder are the user's. */
function staleFiles(spec: Spec, files: GeneratedFile[]): string[] {
  const folder = `${spec.output.supabaseDir}/migrations`;
  const dir = join(spec.dir, folder);
  if (!existsSync(dir)) return [];
  const expected = new Set(files.map((f) => f.path));
  const ours = new RegExp(`^\\d+_${spec.name}_(?:pre_data|post_data|security|evolve)\\.sql$`);
  return readdirSync(dir)
    .filter((n) => ours.test(n))
    .map((n) => `${folder}/${n}`)
    .filter((p) => !expected.has(p))
    .sort();
}
