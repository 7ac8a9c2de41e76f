import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors';
import { baseTree, type BaseTree } from '../git/base';
import type { Snapshot } from '../introspect/snapshot';
import { planEvolutionFile, type TableRewrite } from '../plan/evolve/file';
import type { PlannedStep, RecordedStep } from '../plan/evolve';
import { type GeneratedFile, PHASES, type Phase, type Plan } from '../plan/types';
import {
  defaultVersions,
  evolutionDownFile,
  evolutionFile,
  evolutionManifestFile,
  type EvolutionEntry,
  type Layout,
  lockFile,
  type Manifest,
  manifestFile,
  manifestOf,
  parseLock,
  parseStepFile,
  type PlanHistory,
  planRevision,
} from '../render';
import { renderEvolution } from '../render/evolution';
import type { Spec } from '../spec/types';

/** The versions, the project's own older migrations and the evolutions of a plan, with their files. */
export interface PlannedHistory {
  history: PlanHistory;
  files: GeneratedFile[];
  /** The evolution this plan adds (null when it equals the base plan, or there is no base). */
  added: EvolutionEntry | null;
  /** Type changes in the added evolution that rewrite a table, with its size. */
  rewrites: TableRewrite[];
}

const MIGRATION = /^(\d+)_(.+)\.sql$/;
const big = (v: string) => BigInt(v);
const maxOf = (vs: string[]) => vs.reduce((m, v) => (m === null || big(v) > big(m) ? v : m), null as string | null);
const next = (v: string) => String(big(v) + 1n).padStart(v.length, '0');

/** Files in supabase/migrations that supamigrate did not generate: version -> path. */
function foreignMigrations(spec: Spec): Map<string, string> {
  const folder = `${spec.output.supabaseDir}/migrations`;
  const dir = join(spec.dir, folder);
  const ours = new RegExp(`^\\d+_${spec.name}_(?:pre_data|post_data|security|evolve)\\.sql$`);
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const m = MIGRATION.exec(name);
    if (m && !ours.test(name)) out.set(m[1], `${folder}/${name}`);
  }
  return out;
}

function readLockHistory(read: (path: string) => string | null, layout: Layout): PlanHistory | null {
  const text = read(lockFile(layout));
  return text === null ? null : (parseLock(text)?.history ?? null);
}

/** The versions of a first plan: after the newest of the project's own migrations, in phase order. */
function firstVersions(foreign: Map<string, string>): Record<Phase, string> {
  const newest = maxOf([...foreign.keys()]);
  if (newest === null) return defaultVersions();
  let v = newest;
  const out = {} as Record<Phase, string>;
  for (const phase of PHASES) out[phase] = v = next(v);
  return out;
}

/** The base plan's steps as a target that applied it recorded them (SQL from its committed files). */
function baseSteps(base: BaseTree, manifest: Manifest): RecordedStep[] {
  const bodies = new Map<string, Map<string, string>>();
  const sqlOf = (file: string, id: string) => {
    if (!bodies.has(file)) bodies.set(file, new Map(parseStepFile(base.read(file) ?? '').map((s) => [s.id, s.sql])));
    return bodies.get(file)?.get(id) ?? null;
  };
  return manifest.steps.map((m, i) => ({
    seq: i + 1,
    id: m.id,
    phase: m.phase,
    kind: m.kind,
    checksum: m.checksum,
    up: m.file ? sqlOf(m.file, m.id) : (m.body ?? ''),
    down: m.down,
    file: m.file,
    state: m.state ?? null,
  }));
}

const sameEntry = (a: EvolutionEntry, b: EvolutionEntry) =>
  a.version === b.version && a.from === b.from && a.to === b.to;

function requireLinear(base: BaseTree, committed: EvolutionEntry[], local: EvolutionEntry[], layout: Layout): void {
  const forked = committed.find((e, i) => !local[i] || !sameEntry(e, local[i]));
  if (!forked) return;
  const ours = local.slice(committed.findIndex((e, i) => !local[i] || !sameEntry(e, local[i])));
  throw new UserError(
    `the plan's history forked: ${base.ref} has evolution ${forked.version} (${forked.from} -> ${forked.to}) that this branch does not` +
      (ours.length > 0 ? `, and this branch has ${ours.map((e) => e.version).join(', ')} from the same point` : ''),
    `merge ${base.ref} into this branch first (git merge ${base.ref}), delete this branch's evolution files` +
      (ours.length > 0
        ? ` (${ours.map((e) => `${e.file}, ${evolutionManifestFile(layout, e.version)}`).join(', ')})`
        : '') +
      ", then run `supamigrate plan`: your changes become one evolution after the base's",
  );
}

function requireOrderedForeign(foreign: Map<string, string>, known: Set<string>, newestOurs: string | null): void {
  if (newestOurs === null) return;
  const early = [...foreign].filter(([v]) => big(v) < big(newestOurs) && !known.has(v));
  if (early.length === 0) return;
  const suggested = next(maxOf([newestOurs, ...foreign.keys()]) as string);
  throw new UserError(
    `${early.map(([, p]) => p).join(', ')}: older than supamigrate's migration ${newestOurs}, which targets may already have; ` +
      '`supabase db push` refuses a migration older than the last one applied (without --include-all)',
    `give it a version after ${newestOurs}, e.g. git mv ${early[0][1]} ${early[0][1].replace(/\/\d+_/, `/${suggested}_`)}; then run \`supamigrate plan\``,
  );
}

/**
 * Plans the history: versions kept from the lock (or after the project's own migrations on a
 * first plan), the committed evolutions carried unchanged, and one new evolution from the base
 * plan to this one when they differ. Refuses a forked history and out-of-order migrations.
 */
export function planHistory(
  spec: Spec,
  layout: Layout,
  plan: Plan,
  snapshot: Snapshot,
  baseRef?: string,
): PlannedHistory {
  const readLocal = (path: string) =>
    existsSync(join(spec.dir, path)) ? readFileSync(join(spec.dir, path), 'utf8') : null;
  const local = readLockHistory(readLocal, layout);
  const foreign = foreignMigrations(spec);
  const versions =
    local?.versions ?? (parseLock(readLocal(lockFile(layout)) ?? '') ? defaultVersions() : firstVersions(foreign));
  const base = baseTree(spec.dir, baseRef);
  const committed = base ? (readLockHistory(base.read, layout)?.evolutions ?? []) : (local?.evolutions ?? []);
  if (base) requireLinear(base, committed, local?.evolutions ?? [], layout);
  const localOurs = [...Object.values(local?.versions ?? {}), ...(local?.evolutions ?? []).map((e) => e.version)];
  const known = new Set(local?.foreign ?? []);
  requireOrderedForeign(foreign, known, local ? maxOf(localOurs) : null);
  const read = base ? base.read : readLocal;
  const files: GeneratedFile[] = [];
  for (const e of committed) {
    for (const path of [e.file, evolutionDownFile(layout, e.version), evolutionManifestFile(layout, e.version)]) {
      const content = read(path);
      if (content !== null) files.push({ path, content });
    }
  }
  const withVersions = { ...layout, versions };
  const added = base ? addEvolution(spec, withVersions, plan, snapshot, base, committed, local, foreign) : null;
  if (added) files.push(...added.files);
  const evolutions = [...committed, ...(added ? [added.entry] : [])];
  const newest = maxOf([...Object.values(versions), ...evolutions.map((e) => e.version)]) as string;
  const history: PlanHistory = {
    versions: Object.fromEntries(PHASES.map((p) => [p, versions[p]])),
    foreign: [...foreign.keys()].filter((v) => big(v) < big(newest)).sort(),
    evolutions,
  };
  return { history, files, added: added?.entry ?? null, rewrites: added?.rewrites ?? [] };
}

function addEvolution(
  spec: Spec,
  layout: Layout & { versions: Record<Phase, string> },
  plan: Plan,
  snapshot: Snapshot,
  base: BaseTree,
  committed: EvolutionEntry[],
  local: PlanHistory | null,
  foreign: Map<string, string>,
): { entry: EvolutionEntry; files: GeneratedFile[]; rewrites: TableRewrite[] } | null {
  const text = base.read(manifestFile(layout));
  if (text === null) return null;
  const baseManifest = JSON.parse(text) as Manifest;
  const manifest = manifestOf(plan, layout);
  const from = planRevision(baseManifest.steps);
  if (from === planRevision(manifest.steps)) return null;
  const pending = (local?.evolutions ?? []).slice(committed.length);
  const version =
    pending[0]?.version ??
    next(maxOf([...Object.values(layout.versions), ...committed.map((e) => e.version), ...foreign.keys()]) as string);
  const planned: PlannedStep[] = plan.steps.map((s, i) => ({
    id: s.id,
    phase: s.phase,
    kind: s.kind,
    checksum: s.checksum,
    sql: s.sql,
    down: s.down,
    file: manifest.steps[i].file,
    ...(s.state ? { state: s.state } : {}),
  }));
  // Destructive or impossible changes are written down for review; apply refuses them.
  const sizes = new Map(
    snapshot.tables.map((t) => [`${t.schema}.${t.name}`, { estimatedRows: t.estimatedRows, sizeBytes: t.sizeBytes }]),
  );
  const evolution = planEvolutionFile(baseSteps(base, baseManifest), planned, spec.evolution, version, from, (t) =>
    sizes.get(t),
  );
  return {
    entry: { version, file: evolutionFile(layout, version), from, to: evolution.to },
    files: renderEvolution(evolution, layout),
    rewrites: evolution.rewrites,
  };
}
