import { structuredPatch } from 'diff';
import type { Analysis } from '../analyze/types';
import type { Finding } from '../plan/findings';
import type { GeneratedFile, Step } from '../plan/types';
import type { Layout } from './layout';
import { lockFile, sha256 } from './lock';
import { manifestFile } from './layout';
import type { EvolutionFile } from './evolution-markdown';

/** The phases a reviewer thinks in; every step and generated file belongs to one. */
export const DIFF_GROUPS = ['schema', 'security', 'data', 'vectors', 'functions', 'storage', 'types'] as const;
export type DiffGroup = (typeof DIFF_GROUPS)[number];

export interface StepChange {
  id: string;
  kind: string;
  group: DiffGroup;
  status: 'added' | 'changed' | 'removed';
}

export interface FileChange {
  path: string;
  group: DiffGroup;
  status: 'added' | 'changed' | 'removed';
  additions: number;
  deletions: number;
  /** Unified diff, `--- a/path` / `+++ b/path` and hunks. */
  patch: string;
}

export interface GroupCounts {
  stepsAdded: number;
  stepsChanged: number;
  stepsRemoved: number;
  filesAdded: number;
  filesChanged: number;
  filesRemoved: number;
}

export interface AnalysisDigest {
  riskLevel: 'high' | 'medium' | 'low' | 'none';
  risks: { high: number; medium: number; low: number };
  tier: string;
  score: number;
  estimatedSeconds: number;
}

/** Everything `plan --diff` reports; Markdown and JSON are two renderings of it. */
export interface PlanChange {
  ref: string;
  commit: string;
  spec: string;
  steps: StepChange[];
  files: FileChange[];
  summary: Record<DiffGroup, GroupCounts>;
  analysis: { base: AnalysisDigest | null; head: AnalysisDigest };
  findings: Finding[];
  /** Generated files in the working tree that differ from what the spec and snapshot generate. */
  outOfDate: string[];
  notes: string[];
  hasChanges: boolean;
  /** A destructive finding the spec does not allow. */
  destructive: boolean;
  /** sha256 of the head plan's lock: names exactly the plan that was reviewed. */
  planHash: string;
  /** The evolution file the head adds after the base plan, when it adds one. */
  evolution?: EvolutionFile;
}

export interface PlanChangeInput {
  ref: string;
  commit: string;
  spec: string;
  layout: Layout;
  base: { steps: readonly Step[]; files: readonly GeneratedFile[]; analysis: Analysis | null };
  head: { steps: readonly Step[]; files: readonly GeneratedFile[]; analysis: Analysis };
  findings: Finding[];
  outOfDate?: string[];
  notes?: string[];
  evolution?: EvolutionFile | null;
}

/** Base and head plans -> the change between them. Pure and sorted. */
export function planChange(input: PlanChangeInput): PlanChange {
  const steps = stepChanges(input.base.steps, input.head.steps);
  const files = fileChanges(input.base.files, input.head.files, input.layout);
  const summary = Object.fromEntries(DIFF_GROUPS.map((g) => [g, countGroup(g, steps, files, input.layout)])) as Record<
    DiffGroup,
    GroupCounts
  >;
  const lock = input.head.files.find((f) => f.path === lockFile(input.layout));
  return {
    ref: input.ref,
    commit: input.commit,
    spec: input.spec,
    steps,
    files,
    summary,
    analysis: { base: input.base.analysis ? digest(input.base.analysis) : null, head: digest(input.head.analysis) },
    findings: input.findings,
    outOfDate: [...(input.outOfDate ?? [])].sort(),
    notes: input.notes ?? [],
    hasChanges: steps.length > 0 || files.length > 0,
    destructive: input.findings.some((f) => f.category === 'destructive' && !f.allowed),
    planHash: sha256(lock ? lock.content : input.head.files.map((f) => `${f.path}\0${f.content}`).join('\0')),
    ...(input.evolution ? { evolution: input.evolution } : {}),
  };
}

function stepChanges(base: readonly Step[], head: readonly Step[]): StepChange[] {
  const before = new Map(base.map((s) => [s.id, s]));
  const after = new Map(head.map((s) => [s.id, s]));
  const out: StepChange[] = [];
  for (const s of head) {
    const old = before.get(s.id);
    if (!old) out.push({ id: s.id, kind: s.kind, group: stepGroup(s), status: 'added' });
    else if (old.checksum !== s.checksum) out.push({ id: s.id, kind: s.kind, group: stepGroup(s), status: 'changed' });
  }
  for (const s of base)
    if (!after.has(s.id)) out.push({ id: s.id, kind: s.kind, group: stepGroup(s), status: 'removed' });
  return out;
}

/** The review group of a step, from its kind, id and phase. */
export function stepGroup(s: Pick<Step, 'id' | 'kind' | 'phase'>): DiffGroup {
  const text = `${s.kind} ${s.id}`.toLowerCase();
  if (/vector|hnsw|ivfflat|embedding/.test(text)) return 'vectors';
  if (/storage|bucket/.test(text)) return 'storage';
  if (/edge-function|^functions?:edge/.test(text)) return 'functions';
  if (s.phase === 'data') return 'data';
  if (s.phase === 'security') return 'security';
  return 'schema';
}

/** The review group of a generated file, from its path. */
export function fileGroup(path: string, layout: Layout): DiffGroup {
  const supabase = `${layout.supabaseDir}/`;
  if (path.startsWith(`${supabase}functions/`)) return 'functions';
  if (/(^|\/)types\/|\.types\.ts$|schemas\.json$/.test(path)) return 'types';
  if (path.startsWith(`${supabase}tests/`)) return 'security';
  if (/storage|bucket/.test(path)) return 'storage';
  if (/vector|embedding/.test(path)) return 'vectors';
  return 'schema';
}

/** Files whose changes are counted as steps, so the summary does not count them twice. */
function holdsSteps(path: string, layout: Layout): boolean {
  return (
    path === manifestFile(layout) ||
    path.startsWith(`${layout.supabaseDir}/migrations/`) ||
    path.startsWith(`${layout.stateDir}/down/`)
  );
}

function fileChanges(base: readonly GeneratedFile[], head: readonly GeneratedFile[], layout: Layout): FileChange[] {
  const before = new Map(base.map((f) => [f.path, f.content]));
  const after = new Map(head.map((f) => [f.path, f.content]));
  const lock = lockFile(layout);
  const paths = [...new Set([...before.keys(), ...after.keys()])].filter((p) => p !== lock);
  const out: FileChange[] = [];
  for (const path of paths) {
    const old = before.get(path);
    const now = after.get(path);
    if (old === now) continue;
    const status = old === undefined ? 'added' : now === undefined ? 'removed' : 'changed';
    out.push({ path, group: fileGroup(path, layout), status, ...unifiedDiff(path, old ?? '', now ?? '') });
  }
  return out.sort(
    (a, b) => fileOrder(a.path, layout) - fileOrder(b.path, layout) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  );
}

/** Migrations first (what runs), then other generated files, then the down files and the manifest. */
function fileOrder(path: string, layout: Layout): number {
  if (path.startsWith(`${layout.supabaseDir}/migrations/`)) return 0;
  if (holdsSteps(path, layout)) return 2;
  return 1;
}

function unifiedDiff(path: string, old: string, now: string): { additions: number; deletions: number; patch: string } {
  const p = structuredPatch(`a/${path}`, `b/${path}`, old, now, '', '', { context: 3 });
  let additions = 0;
  let deletions = 0;
  const lines = [`--- ${old === '' ? '/dev/null' : `a/${path}`}`, `+++ ${now === '' ? '/dev/null' : `b/${path}`}`];
  for (const h of p.hunks) {
    lines.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`);
    for (const l of h.lines) {
      if (l.startsWith('+')) additions++;
      else if (l.startsWith('-')) deletions++;
      lines.push(l);
    }
  }
  return { additions, deletions, patch: `${lines.join('\n')}\n` };
}

function countGroup(group: DiffGroup, steps: StepChange[], files: FileChange[], layout: Layout): GroupCounts {
  const s = steps.filter((c) => c.group === group);
  const f = files.filter((c) => c.group === group && !holdsSteps(c.path, layout));
  const n = <T extends { status: string }>(list: T[], status: string) => list.filter((c) => c.status === status).length;
  return {
    stepsAdded: n(s, 'added'),
    stepsChanged: n(s, 'changed'),
    stepsRemoved: n(s, 'removed'),
    filesAdded: n(f, 'added'),
    filesChanged: n(f, 'changed'),
    filesRemoved: n(f, 'removed'),
  };
}

function digest(a: Analysis): AnalysisDigest {
  const count = (sev: string) => a.risks.filter((r) => r.severity === sev).length;
  const risks = { high: count('high'), medium: count('medium'), low: count('low') };
  const riskLevel = risks.high > 0 ? 'high' : risks.medium > 0 ? 'medium' : risks.low > 0 ? 'low' : 'none';
  return { riskLevel, risks, tier: a.complexity.tier, score: a.complexity.score, estimatedSeconds: a.estimate.seconds };
}
