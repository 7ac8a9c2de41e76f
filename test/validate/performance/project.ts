import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrap } from '../../../src/bootstrap';
import { readSnapshot } from '../../../src/commands/project';
import { loadSpec } from '../../../src/spec';
import { classifyLints } from '../../../src/validate/lint-origin';
import { lintDatabase } from '../../../src/validate/lints';
import { accessPaths, type ExplainedPlan } from '../../../src/validate/performance/plan-shape';
import { runCli, type CliRun } from '../../helpers/cli';
import { freshDatabase, withDb, type FreshDatabase } from '../../helpers/databases';

/** A source and a bootstrapped target on the server, and a project folder for the CLI. */
export interface PerfProject {
  source: FreshDatabase;
  target: FreshDatabase;
  dir: string;
  cli(args: string[]): CliRun;
  cleanup(): Promise<void>;
}

export async function perfProject(purpose: string, load: (sourceUrl: string) => Promise<void>): Promise<PerfProject> {
  const source = await freshDatabase('server', `${purpose}s`);
  const target = await freshDatabase('server', `${purpose}t`);
  const dir = mkdtempSync(join(tmpdir(), `sm-${purpose}-`));
  const env = { SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: target.url };
  const cleanup = async () => {
    rmSync(dir, { recursive: true, force: true });
    await source.drop();
    await target.drop();
  };
  try {
    await load(source.url);
    await withDb(target.url, (db) => bootstrap(db));
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { source, target, dir, cli: (args) => runCli(args, { cwd: dir, env }), cleanup };
}

/** Puts the given top-level sections in the spec, in place of those init proposed under the same keys. */
function withSections(file: string, extra: string): void {
  const keys = new Set([...extra.matchAll(/^([a-z_]+):/gm)].map((m) => m[1]));
  const kept: string[] = [];
  let dropping = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const top = /^([a-z_]+):/.exec(line);
    if (top) dropping = keys.has(top[1]);
    if (!dropping) kept.push(line);
  }
  writeFileSync(file, `${kept.join('\n')}\n${extra}`);
}

/**
 * init, the extra spec text (performance thresholds, patterns), plan, apply: each must exit 0.
 * Returns the migration.yaml init wrote, before the extra text replaced its sections.
 */
export function migrate(p: PerfProject, name: string, extraYaml: string): string {
  const init = p.cli(['init', '--source', p.source.url, '--target', p.target.url, '--name', name]);
  expect(init.stderr).toBe('');
  const proposed = readFileSync(join(p.dir, 'migration.yaml'), 'utf8');
  if (extraYaml) withSections(join(p.dir, 'migration.yaml'), extraYaml);
  const plan = p.cli(['plan']);
  expect({ code: plan.code, err: plan.stderr }).toEqual({ code: 0, err: '' });
  const apply = p.cli(['apply']);
  expect({ code: apply.code, tail: apply.code === 0 ? '' : (apply.stdout + apply.stderr).slice(-1500) }).toEqual({
    code: 0,
    tail: '',
  });
  return proposed;
}

export interface JsonQuery {
  name: string;
  origin: string;
  sql: string;
  role: string;
  source_ms: number | null;
  target_ms: number | null;
  ratio: number | null;
  regressed: boolean;
  source_nodes: string[];
  target_nodes: string[];
  source_plan: ExplainedPlan | null;
  target_plan: ExplainedPlan | null;
  error?: string;
}

export function performanceJson(run: CliRun): JsonQuery[] {
  const parsed = JSON.parse(run.stdout) as { performance: { queries: JsonQuery[] } };
  return parsed.performance.queries;
}

/**
 * Plan shape, not time: every relation the source reached through an index is reached through an
 * index on the target too, and the target has no per-row SubPlan the source lacked.
 */
export function shapeDifferences(q: JsonQuery): string[] {
  if (!q.source_plan || !q.target_plan) return [`${q.name}: not run (${q.error ?? 'no plan'})`];
  const out: string[] = [];
  const target = accessPaths(q.target_plan);
  for (const [rel, s] of accessPaths(q.source_plan)) {
    const t = target.get(rel);
    if (s.index && !s.seq && t && !t.index) out.push(`${q.name}: ${rel} by index on the source, not on the target`);
  }
  const subplans = (nodes: string[]) => nodes.filter((n) => n.includes('per row')).length;
  if (subplans(q.target_nodes) > subplans(q.source_nodes)) out.push(`${q.name}: per-row SubPlan on the target`);
  return out;
}

/** The advisor's performance lints (issue 20 item 3). */
export const PERFORMANCE_LINTS = [
  'auth_rls_initplan',
  'unindexed_foreign_keys',
  'multiple_permissive_policies',
  'duplicate_index',
];

/** The target's performance lint findings, each with its origin (plan, source, opened), as validate tells them. */
export async function performanceLints(p: PerfProject): Promise<string[]> {
  const spec = loadSpec(join(p.dir, 'migration.yaml'), {
    SOURCE_DATABASE_URL: p.source.url,
    SUPABASE_DB_URL: p.target.url,
  });
  const onTarget = await withDb(p.target.url, (db) => lintDatabase(db));
  const onSource = await withDb(p.source.url, (db) => lintDatabase(db, ['public'], { tolerant: true }));
  return classifyLints(onTarget, onSource, readSnapshot(spec), spec)
    .filter((f) => PERFORMANCE_LINTS.includes(f.name))
    .map((f) => `${f.origin} ${f.name} ${f.object}`);
}
