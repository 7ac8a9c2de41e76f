import { withDb } from '../db';
import { planVectors } from '../plan/vectors';
import type { Spec } from '../spec/types';
import { validateVectors, type VectorValidation } from '../validate/vectors';
import { readSnapshot } from './project';

/** validate --vectors; without flags it runs too when the plan converts any column. */
export async function vectorCheck(
  spec: Spec,
  sourceUrl: string,
  targetUrl: string,
  asked: boolean,
  all: boolean,
): Promise<VectorValidation | undefined> {
  if (!asked && !all) return undefined;
  const { columns } = planVectors(readSnapshot(spec), spec);
  if (!asked && columns.length === 0) return undefined;
  return withDb(sourceUrl, (src) => withDb(targetUrl, (tgt) => validateVectors(src, tgt, columns), 'target'), 'source');
}
