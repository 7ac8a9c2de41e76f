import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Output } from '../render/output';
import { withDb } from '../db';
import { loadSpec } from '../spec';
import type { Spec } from '../spec/types';
import { analyzeProject } from './analyze';
import { refreshSnapshot } from './introspect';
import { planProject } from './plan';
import { type ProjectApplyResult, applyProject } from './apply';
import { bootstrapTarget } from './bootstrap';
import { validateProject } from './validate';
import { startDemoStorage } from '../storage-server/demo';
import { storageLines } from '../validate/storage';
import { failingLints } from '../validate/lint-origin';

/** The shipped example, found from the package root whether running from src/ or dist/. */
export const EXAMPLE_DIR = resolve(__dirname, '../../migrations.example/toolboxai');

export interface DemoResult {
  ok: boolean;
  dir: string;
}

/** The demo's stand-in for Supabase Storage: the uploads it generates and the env that reaches it. */
type DemoStorage = Awaited<ReturnType<typeof startDemoStorage>>;

const section = (out: Output, title: string) => out.line(`\n== ${title}`);

/**
 * The whole flow on two embedded databases: load the example source, introspect, analyze,
 * plan, bootstrap a Supabase-shaped target, apply, validate, and apply again to show that a
 * second apply executes nothing.
 */
export async function runDemo(opts: { dir?: string; out: Output }): Promise<DemoResult> {
  const { out } = opts;
  const dir = prepareFolder(opts.dir);
  // The demo never touches a database named in the caller's environment.
  const storage = await startDemoStorage(dir, 'pglite://memory/demo-target');
  // The stand-in server must stop on every path, or it keeps the process alive after an error.
  try {
    const env = {
      SOURCE_DATABASE_URL: 'pglite://memory/demo-source',
      SUPABASE_DB_URL: 'pglite://memory/demo-target',
      ...storage.env,
    };
    const spec = loadSpec(join(dir, 'migration.yaml'), env);
    out.line(`supamigrate demo: the ToolBoxAI e-learning example, files in ${dir}`);
    await loadSource(env.SOURCE_DATABASE_URL, storage, out);
    await introspectAnalyzePlan(spec, out);

    section(out, 'bootstrap the target (a Supabase-shaped embedded Postgres)');
    const boot = await bootstrapTarget(env.SUPABASE_DB_URL);
    out.line(`created ${boot.created.length} objects`);

    const applied = await applyWithProgress(spec, out);
    if (!applied.ok) {
      out.error(applied.error ?? 'apply failed');
      return { ok: false, dir };
    }
    const validated = await validateAndReport(spec, out);

    section(out, 'apply again (idempotent)');
    const again = await applyProject(spec);
    out.line(`${again.executed} executed, ${again.skipped} skipped`);

    const ok = applied.ok && validated && again.ok && again.executed === 0;
    section(
      out,
      ok
        ? 'done: the example migrated, validated and re-applied as a no-op'
        : 'demo finished with problems (see above)',
    );
    return { ok, dir };
  } finally {
    await storage.stop();
  }
}

/** The demo's folder, with the example's spec and API document in it. */
function prepareFolder(requested: string | undefined): string {
  const dir = resolve(requested ?? mkdtempSync(join(tmpdir(), 'supamigrate-demo-')));
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(EXAMPLE_DIR, 'migration.yaml'), join(dir, 'migration.yaml'));
  copyFileSync(join(EXAMPLE_DIR, 'openapi.yaml'), join(dir, 'openapi.yaml'));
  // The uploads are generated below, so their storage section joins the spec here.
  appendFileSync(join(dir, 'migration.yaml'), `\n${readFileSync(join(EXAMPLE_DIR, 'storage.yaml'), 'utf8')}`);
  return dir;
}

/** The example's schema and seed rows, and the files its path columns name. */
async function loadSource(sourceUrl: string, storage: DemoStorage, out: Output): Promise<void> {
  section(out, 'source: loading the example into an embedded Postgres');
  const started = Date.now();
  await withDb(sourceUrl, async (db) => {
    await db.exec(readFileSync(join(EXAMPLE_DIR, 'source/schema.sql'), 'utf8'));
    await db.exec(readFileSync(join(EXAMPLE_DIR, 'source/seed.sql'), 'utf8'));
  });
  out.line(`loaded schema and seed data in ${Date.now() - started} ms`);
  const uploads = await storage.writeUploads(sourceUrl);
  out.line(
    `generated the uploads its path columns name: ${uploads.files} files, ${(uploads.bytes / 1024 / 1024).toFixed(1)} MB under files/`,
  );
}

async function introspectAnalyzePlan(spec: Spec, out: Output): Promise<void> {
  section(out, 'introspect');
  const snap = await refreshSnapshot(spec);
  out.line(
    `${snap.snapshot.tables.length} tables, ${snap.snapshot.views.length} views, ${snap.snapshot.functions.length} functions, ${snap.snapshot.triggers.length} triggers -> ${snap.file}`,
  );

  section(out, 'analyze');
  const analysis = analyzeProject(spec);
  out.line(`complexity: ${analysis.complexity.tier} (score ${analysis.complexity.score})`);
  out.line(
    `patterns: ${analysis.patterns.length}; risks: ${analysis.risks.length} (${analysis.risks.filter((r) => r.severity === 'high').length} high)`,
  );
  for (const r of analysis.risks.filter((x) => x.severity === 'high').slice(0, 5))
    out.line(`  ! ${r.object}: ${r.why}`);
  out.line(`estimated duration: ${analysis.estimate.seconds} s`);

  section(out, 'plan');
  const plan = planProject(spec);
  out.line(`${plan.plan.steps.length} steps in ${plan.files.length} files:`);
  for (const f of plan.files) out.line(`  ${f.path}`);
}

/** The first apply: steps per phase, objects uploaded, and the last (or a failed) step. */
async function applyWithProgress(spec: Spec, out: Output): Promise<ProjectApplyResult> {
  section(out, 'apply (files go to a local stand-in for Supabase Storage)');
  const started = Date.now();
  const phases = new Map<string, number>();
  let moved = 0;
  const applied = await applyProject(spec, {
    onStorage: (e) => {
      if (e.type === 'object-done') moved += 1;
    },
    onStep: (s, i, n) => {
      phases.set(s.phase, (phases.get(s.phase) ?? 0) + 1);
      if (s.status === 'failed' || i + 1 === n) out.line(`  step ${i + 1}/${n} ${s.status} ${s.id}`);
    },
  });
  for (const [phase, n] of phases) out.line(`  ${phase}: ${n} steps`);
  out.line(`  storage: ${moved} objects uploaded through supabase-js`);
  out.line(`${applied.executed} executed, ${applied.failed} failed in ${Date.now() - started} ms`);
  return applied;
}

/** Schema, data, access matrix with lints, then storage; true when all of them hold. */
async function validateAndReport(spec: Spec, out: Output): Promise<boolean> {
  section(out, 'validate');
  const v = await validateProject(spec);
  const differences = v.schema?.differences ?? [];
  out.line(
    differences.length === 0 ? 'schema: source and target match' : `schema: ${differences.length} difference(s)`,
  );
  for (const d of differences.slice(0, 10)) out.line(`  ${d.kind}: ${d.object}`);
  const tables = v.data?.tables ?? [];
  const rows = tables.reduce((n, t) => n + t.targetRows, 0);
  const bad = tables.filter((t) => !t.ok);
  out.line(
    bad.length === 0
      ? `data: ${tables.length} tables, ${rows} rows, checksums match`
      : `data: ${bad.length} tables differ: ${bad.map((t) => t.table).join(', ')}`,
  );
  // Plain validate runs the access matrix and the lints too.
  const sec = v.security;
  const wrong = sec?.cells.filter((c) => c.actual !== c.expected) ?? [];
  const findings = failingLints(sec?.lints ?? []);
  const carried = sec?.lints.filter((l) => l.level !== 'INFO' && l.origin === 'source').length ?? 0;
  out.line(
    `security: ${sec?.cells.length ?? 0} table x role x operation cells, ${wrong.length} differ from the spec; ${findings.length} advisor lints at ERROR or WARN caused by the plan (${carried} carried from the source)`,
  );

  const files = (await validateProject(spec, { storage: true })).storage;
  storageLines(files ?? { ok: false, buckets: [], access: [] }).forEach((l) => out.line(l));
  return v.ok && (sec?.ok ?? false) && (files?.ok ?? false);
}
