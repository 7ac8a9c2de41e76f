import { analyze } from '../analyze';
import type { Analysis } from '../analyze/types';
import { withDb } from '../db';
import type { Spec } from '../spec/types';
import { classifyApi, type FunctionsClassification } from '../plan/functions';
import { readSnapshot } from './project';
import { selectObjects } from '../plan/schema/select';
import { vectorSupport } from './vector-support';

/** The analysis of the committed snapshot. */
export function analyzeProject(spec: Spec): Analysis {
  const snapshot = readSnapshot(spec);
  return analyze(snapshot, { selected: selectObjects(snapshot, spec.schema) });
}

/** Where each operation of the spec's API goes (direct supabase-js, RPC, edge function); null without an API. */
export function classifyProjectApi(spec: Spec): FunctionsClassification | null {
  const f = spec.functions;
  if (!f.openapi && !(f.endpoints ?? []).length) return null;
  return classifyApi(readSnapshot(spec), spec);
}

/**
 * The same, plus what only the target can tell (whether it has pgvector), when a target is
 * named by the caller (--target) and answers; an unreachable target leaves those risks out
 * rather than failing analyze. The spec's own URL is not used: analyze needs only the repo.
 */
export async function analyzeProjectWithTarget(spec: Spec, opts: { target?: string } = {}): Promise<Analysis> {
  const url = opts.target;
  const snapshot = readSnapshot(spec);
  const targetVector = url ? await withDb(url, (db) => vectorSupport(db), 'target').catch(() => undefined) : undefined;
  const selected = selectObjects(snapshot, spec.schema);
  return analyze(snapshot, targetVector ? { targetVector, selected } : { selected });
}
