import { accessPaths, misestimated, perRowCalls, perRowSubplans, type ExplainedPlan } from './plan-shape';
import { LARGE_ROWS } from './plan-shape';

/** Why a query is slower on the target, and what to do about it. */
export interface Finding {
  kind: 'slower' | 'lost_index' | 'per_row_call' | 'per_row_subplan' | 'statistics';
  message: string;
  fix: string;
}

export interface Thresholds {
  threshold: number;
  floorMs: number;
}

/** Relations the source reached through an index that the target scans whole, filtering many rows away. */
function lostIndexes(source: ExplainedPlan, target: ExplainedPlan): Finding[] {
  const src = accessPaths(source);
  const out: Finding[] = [];
  for (const [rel, t] of accessPaths(target)) {
    const s = src.get(rel);
    if (!s || !s.index || s.seq || !t.seq || t.seqRemoved < LARGE_ROWS) continue;
    out.push({
      kind: 'lost_index',
      message: `the source reads ${rel} through an index; the target scans it whole and filters ${t.seqRemoved} rows away`,
      fix: `create on the target the index the source uses on ${rel} (the column of its Index Cond), or run ANALYZE ${rel} if it exists`,
    });
  }
  return out;
}

function perRow(target: ExplainedPlan, sizes: Record<string, number>): Finding[] {
  const calls = perRowCalls(target, sizes).map((n) => ({
    kind: 'per_row_call' as const,
    message: `${n['Relation Name']} (${sizes[n['Relation Name'] ?? ''] ?? '?'} rows): the filter ${n.Filter} calls the function once per row`,
    fix: 'wrap the call in a select so it runs once per statement: (select auth.uid()) = user_id, and index the column',
  }));
  const subplans = perRowSubplans(target).map((n) => ({
    kind: 'per_row_subplan' as const,
    message: `${n['Subplan Name'] ?? 'a SubPlan'} runs ${n['Actual Loops']} times, once per row`,
    fix:
      'write the policy as column in (select ... where user_id = (select auth.uid())),' +
      ' or wrap a security definer helper in select',
  }));
  return [...calls, ...subplans];
}

/**
 * Plan-shape findings (deterministic on a busy machine) plus the timing rule: ratio above the
 * threshold and the difference above the floor.
 */
export function findings(
  source: ExplainedPlan | null,
  target: ExplainedPlan,
  sourceMs: number | null,
  targetMs: number,
  t: Thresholds,
  sizes: Record<string, number> = {},
): Finding[] {
  const out = [...(source ? lostIndexes(source, target) : []), ...perRow(target, sizes)];
  if (sourceMs !== null && targetMs > sourceMs * t.threshold && targetMs - sourceMs > t.floorMs) {
    const stale = misestimated(target);
    out.push({
      kind: 'slower',
      message: `${targetMs.toFixed(2)} ms on the target against ${sourceMs.toFixed(2)} ms on the source (${(targetMs / Math.max(sourceMs, 0.001)).toFixed(1)}x)`,
      fix:
        out.length > 0
          ? 'see the findings above'
          : stale.length > 0
            ? `statistics look missing: ANALYZE ${stale.join(', ')}`
            : 'compare the two plans below',
    });
  }
  return out;
}
