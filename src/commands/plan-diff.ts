import { analyze } from '../analyze';
import { setTimeouts, withDb } from '../db';
import { UserError } from '../errors';
import { fetchIfMissing, treeAt, type GitTree } from '../git';
import { snapshotFromJson } from '../introspect';
import type { Snapshot } from '../introspect/snapshot';
import { findFindings, type Finding, withViolations } from '../plan/findings';
import type { GeneratedFile, Step } from '../plan/types';
import { type Layout, lockFile, type Manifest, manifestFile, parseLock, parseStepFile, snapshotFile } from '../render';
import { planChange, type PlanChange } from '../render/diff';
import type { EvolutionFile } from '../render/evolution-markdown';
import { parseSpec, SpecError } from '../spec';
import type { Spec } from '../spec/types';
import { planProject, type PlanResult } from './plan';
import { layoutOf, readSnapshot } from './project';

export interface PlanDiffOptions {
  /** Source database for counting rows that would violate a change (default: none, counts unknown). */
  source?: string;
  /** Fetch the ref from origin first when a shallow checkout lacks it (the GitHub Action). */
  fetch?: boolean;
}

interface BaseSide {
  spec: Spec | null;
  snapshot: Snapshot | null;
  steps: Step[];
  files: GeneratedFile[];
  notes: string[];
}

/**
 * The change a branch makes to the plan since `ref`: the files committed at the ref are the
 * base, the files planned now from the working tree's spec and snapshot are the head.
 */
export async function planDiffProject(spec: Spec, ref: string, opts: PlanDiffOptions = {}): Promise<PlanChange> {
  if (opts.fetch) await fetchIfMissing(spec.dir, ref);
  const tree = await treeAt(spec.dir, ref);
  const head = planProject(spec, { check: true, base: ref });
  const headSnapshot = readSnapshot(spec);
  const specPath = tree.pathOf(spec.file);
  const base = await readBase(tree, spec, specPath, ref, head.files);
  const findings = findFindings(base, { spec, snapshot: headSnapshot, steps: head.plan.steps });
  return planChange({
    ref,
    commit: tree.commit,
    spec: specPath,
    layout: layoutOf(spec),
    base: { steps: base.steps, files: base.files, analysis: base.snapshot ? analyze(base.snapshot) : null },
    head: { steps: head.plan.steps, files: head.files, analysis: analyze(headSnapshot) },
    // Only a source the caller names is asked: a plan needs nothing but the repository.
    findings: await countViolations(findings, opts.source),
    outOfDate: [...head.changed, ...head.stale],
    notes: [...base.notes, ...(await contractNotes(tree, spec, ref, head.files))],
    evolution: evolutionOf(head),
  });
}

/** The evolution file this branch adds after the base plan, with its SQL, for the comment. */
function evolutionOf(head: PlanResult): EvolutionFile | null {
  const file = head.evolution ? head.files.find((f) => f.path === head.evolution) : undefined;
  return file ? { path: file.path, sql: file.content, rewrites: head.rewrites } : null;
}

/** Hand-ported handlers whose operation's contract changed since the ref: the code may no longer answer it. */
async function contractNotes(tree: GitTree, spec: Spec, ref: string, headFiles: GeneratedFile[]): Promise<string[]> {
  const layout = layoutOf(spec);
  const dir = tree.pathOf(spec.dir);
  const baseLock = parseLock((await tree.read(dir === '' ? lockFile(layout) : `${dir}/${lockFile(layout)}`)) ?? '');
  const headLock = parseLock(headFiles.find((f) => f.path === lockFile(layout))?.content ?? '');
  const before = new Map((baseLock?.userOwned ?? []).map((h) => [h.path, h.contract]));
  return (headLock?.userOwned ?? [])
    .filter((h) => before.has(h.path) && before.get(h.path) !== h.contract)
    .map(
      (h) =>
        `\`${h.path}\` is hand-ported code whose contract changed since \`${ref}\` (parameters, body, answer or auth of its operation): check that it still answers what the API promises.`,
    );
}

async function readBase(
  tree: GitTree,
  spec: Spec,
  specPath: string,
  ref: string,
  headFiles: GeneratedFile[],
): Promise<BaseSide> {
  const text = await tree.read(specPath);
  if (text === null)
    return {
      spec: null,
      snapshot: null,
      steps: [],
      files: [],
      notes: [`\`${specPath}\` does not exist at \`${ref}\`: everything is new.`],
    };
  const baseSpec = parseBaseSpec(text, spec.file, specPath, ref);
  const dir = tree.pathOf(spec.dir);
  const at = (p: string) => (dir === '' ? p : `${dir}/${p}`);
  const layout = layoutOf(baseSpec);
  const snapshotText = await tree.read(at(snapshotFile(layout)));
  const snapshot =
    snapshotText === null ? null : snapshotFromJson(snapshotText, `${at(snapshotFile(layout))} at ${ref}`);
  const manifestText = await tree.read(at(manifestFile(layout)));
  const notes =
    manifestText === null ? [`\`${ref}\` has no committed plan (${manifestFile(layout)}): every step is new.`] : [];
  const lock = parseLock((await tree.read(at(lockFile(layout)))) ?? '');
  const paths = new Set([...(lock ? lock.files.map((f) => f.path) : []), ...headFiles.map((f) => f.path)]);
  const files: GeneratedFile[] = [];
  for (const path of [...paths].sort()) {
    const content = await tree.read(at(path));
    if (content !== null) files.push({ path, content });
  }
  const steps = manifestText === null ? [] : stepsOf(manifestText, files, layout, ref);
  return { spec: baseSpec, snapshot, steps, files, notes };
}

function parseBaseSpec(text: string, file: string, specPath: string, ref: string): Spec {
  try {
    // The base is planned like the head: offline, reading no variable.
    return parseSpec(text, file, {}, { connections: 'offline' });
  } catch (err) {
    if (!(err instanceof SpecError)) throw err;
    const problems = err.problems
      .map((p) => `  line ${p.line}:${p.col} ${p.path ? `${p.path}: ` : ''}${p.message}`)
      .join('\n');
    throw new UserError(
      `${specPath} at ${ref} does not parse with this supamigrate, so there is no base plan to compare with:\n${problems}`,
      `fix ${specPath} on ${ref} (or diff against a ref where it parses: plan --diff <other-ref>)`,
    );
  }
}

/** The base plan's steps, SQL read from its committed migration files as the executor would. */
function stepsOf(manifestText: string, files: GeneratedFile[], layout: Layout, ref: string): Step[] {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(manifestText) as Manifest;
  } catch (err) {
    throw new UserError(
      `${manifestFile(layout)} at ${ref} is not valid JSON (${(err as Error).message})`,
      'diff against a ref whose plan was written by `supamigrate plan`',
    );
  }
  const bodies = new Map<string, Map<string, string>>();
  for (const f of files)
    if (f.path.endsWith('.sql')) bodies.set(f.path, new Map(parseStepFile(f.content).map((s) => [s.id, s.sql])));
  return (manifest.steps ?? []).map((m) => ({
    id: m.id,
    phase: m.phase,
    kind: m.kind,
    sql: m.file ? (bodies.get(m.file)?.get(m.id) ?? '') : (m.body ?? ''),
    down: m.down,
    checksum: m.checksum,
  }));
}

/** Runs each finding's count query on the source; a source that cannot be reached leaves them unknown. */
async function countViolations(findings: Finding[], url: string | null | undefined): Promise<Finding[]> {
  const queries = [...new Set(findings.flatMap((f) => (f.countSql ? [f.countSql] : [])))].sort();
  if (queries.length === 0 || !url) return findings;
  const counts = new Map<string, number | null>(queries.map((q) => [q, null]));
  const work = withDb(
    url,
    async (db) => {
      await setTimeouts(db, { statementMs: 30000 }, false);
      for (const q of queries) {
        try {
          const { rows } = await db.query<{ n: string | number | null }>(`select (${q})::bigint as n`);
          counts.set(q, rows[0]?.n === null || rows[0]?.n === undefined ? null : Number(rows[0].n));
        } catch {
          counts.set(q, null);
        }
      }
    },
    'source',
  ).catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, 20_000)));
  await Promise.race([work, timeout]);
  clearTimeout(timer);
  return withViolations(findings, counts);
}
