import { analyze } from '../analyze';
import type { Analysis } from '../analyze/types';
import type { Spec } from '../spec/types';
import { classifyApi, type FunctionsClassification } from '../plan/functions';
import { readSnapshot } from './project';

/** The analysis of the committed snapshot. */
export function analyzeProject(spec: Spec): Analysis {
  return analyze(readSnapshot(spec));
}

/** Where each operation of the spec's API goes (direct supabase-js, RPC, edge function); null without an API. */
export function classifyProjectApi(spec: Spec): FunctionsClassification | null {
  const f = spec.functions;
  if (!f.openapi && !(f.endpoints ?? []).length) return null;
  return classifyApi(readSnapshot(spec), spec);
}
