/** A node of `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)`, the fields read here. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Schema?: string;
  'Index Name'?: string;
  Filter?: string;
  'Index Cond'?: string;
  'Parent Relationship'?: string;
  'Subplan Name'?: string;
  'Rows Removed by Filter'?: number;
  'Plan Rows'?: number;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

export interface ExplainedPlan {
  Plan: PlanNode;
  'Planning Time'?: number;
  'Execution Time'?: number;
}

/** A scan reads at least this many rows before its cost is worth a finding (tiny tables stay quiet). */
export const LARGE_ROWS = 1000;

export function walk(node: PlanNode, visit: (n: PlanNode) => void): void {
  visit(node);
  for (const child of node.Plans ?? []) walk(child, visit);
}

const loops = (n: PlanNode): number => n['Actual Loops'] ?? 1;
/** Rows a node looked at: those it returned and those its filter threw away, over all loops. */
export const rowsExamined = (n: PlanNode): number =>
  ((n['Actual Rows'] ?? 0) + (n['Rows Removed by Filter'] ?? 0)) * loops(n);

const isIndexPath = (t: string): boolean => /^(Index Scan|Index Only Scan|Bitmap Heap Scan|Bitmap Index Scan)$/.test(t);
const PER_ROW_CALL = /\b(auth\.(uid|jwt|role|email)\(\)|current_setting\()/;

/** `Seq Scan on track`, `Index Scan using track_album_idx on track`, `SubPlan 1 (per row)`. */
export function describeNode(n: PlanNode): string | null {
  const t = n['Node Type'];
  const rel = n['Relation Name'];
  if (n['Parent Relationship'] === 'SubPlan') return `${n['Subplan Name'] ?? 'SubPlan'} (per row, ${loops(n)} loops)`;
  if (t === 'Bitmap Index Scan') return `Bitmap Index Scan on ${n['Index Name']}`;
  if (rel === undefined) return null;
  const using = n['Index Name'] ? ` using ${n['Index Name']}` : '';
  const filter = n.Filter && PER_ROW_CALL.test(n.Filter) ? ` (Filter: ${n.Filter})` : '';
  return `${t}${using} on ${rel}${filter}`;
}

/** The nodes that decide the cost: every scan and every per-row SubPlan, in plan order. */
export function keyNodes(plan: ExplainedPlan | null): string[] {
  if (plan === null) return [];
  const out: string[] = [];
  walk(plan.Plan, (n) => {
    const d = describeNode(n);
    if (d !== null && !out.includes(d)) out.push(d);
  });
  return out;
}

export interface RelationAccess {
  index: boolean;
  seq: boolean;
  /** Rows the sequential scans of this relation threw away through their filter, all loops. */
  seqRemoved: number;
}

export function accessPaths(plan: ExplainedPlan): Map<string, RelationAccess> {
  const out = new Map<string, RelationAccess>();
  walk(plan.Plan, (n) => {
    const rel = n['Relation Name'];
    if (rel === undefined) return;
    const a = out.get(rel) ?? { index: false, seq: false, seqRemoved: 0 };
    if (isIndexPath(n['Node Type'])) a.index = true;
    if (n['Node Type'] === 'Seq Scan') {
      a.seq = true;
      a.seqRemoved += (n['Rows Removed by Filter'] ?? 0) * loops(n);
    }
    out.set(rel, a);
  });
  return out;
}

/**
 * Scans whose filter calls auth.*() or current_setting() once per row, over many rows or on a
 * large table (`sizes`: relation -> estimated rows on the target).
 */
export function perRowCalls(plan: ExplainedPlan, sizes: Record<string, number> = {}): PlanNode[] {
  const out: PlanNode[] = [];
  walk(plan.Plan, (n) => {
    const large = rowsExamined(n) >= LARGE_ROWS || (sizes[n['Relation Name'] ?? ''] ?? 0) >= LARGE_ROWS;
    if (n.Filter && PER_ROW_CALL.test(n.Filter) && large) out.push(n);
  });
  return out;
}

export function perRowSubplans(plan: ExplainedPlan): PlanNode[] {
  const out: PlanNode[] = [];
  walk(plan.Plan, (n) => {
    if (n['Parent Relationship'] === 'SubPlan' && loops(n) >= LARGE_ROWS) out.push(n);
  });
  return out;
}

/** Scans whose estimate is off by 100x or more from what they returned: statistics missing or stale. */
export function misestimated(plan: ExplainedPlan): string[] {
  const out: string[] = [];
  walk(plan.Plan, (n) => {
    const est = n['Plan Rows'] ?? 0;
    const actual = (n['Actual Rows'] ?? 0) * loops(n);
    const rel = n['Relation Name'];
    if (
      rel !== undefined &&
      Math.max(est, actual) >= LARGE_ROWS &&
      Math.max(est, actual) >= 100 * Math.max(1, Math.min(est, actual))
    ) {
      if (!out.includes(rel)) out.push(rel);
    }
  });
  return out;
}
