import type { Snapshot } from '../introspect/snapshot';
import { scoreComplexity } from './complexity';
import { estimateDuration } from './estimate';
import { deepFreeze } from './order';
import { detectPatterns } from './patterns';
import { analyzeRelationships } from './relationships';
import { assessRisks } from './risks';
import { splitExcluded } from './risks/excluded';
import { sensitiveReport } from './sensitive';
import { summarize } from './summary';
import { unsupportedObjects } from './unsupported';
import type { Analysis, AnalyzeOptions } from './types';

export type * from './types';

/** Snapshot in, frozen Analysis out; pure, so the same snapshot always gives the same analysis. */
export function analyze(snapshot: Snapshot, options: AnalyzeOptions = {}): Analysis {
  const relationships = analyzeRelationships(snapshot);
  const patterns = detectPatterns(snapshot);
  const risks = assessRisks(snapshot, relationships, options);
  const split = options.selected ? splitExcluded(risks, snapshot, options.selected) : { kept: risks, excluded: [] };
  return deepFreeze({
    summary: summarize(snapshot),
    relationships,
    patterns,
    complexity: scoreComplexity(snapshot, relationships, patterns),
    risks: split.kept,
    ...(split.excluded.length > 0 ? { excludedRisks: split.excluded } : {}),
    estimate: estimateDuration(snapshot, options.rowsPerSecond),
    notCarried: unsupportedObjects(snapshot),
    sensitive: sensitiveReport(snapshot),
  });
}
