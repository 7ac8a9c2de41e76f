import { analyze } from '../analyze';
import type { Analysis } from '../analyze/types';
import type { Spec } from '../spec/types';
import { readSnapshot } from './project';

/** The analysis of the committed snapshot. */
export function analyzeProject(spec: Spec): Analysis {
  return analyze(readSnapshot(spec));
}
