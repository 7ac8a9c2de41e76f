import type { ExplainedPlan, PlanNode } from '../performance/plan-shape';

const DETAILS: (keyof PlanNode)[] = ['Index Cond', 'Filter', 'Rows Removed by Filter'];

function lines(n: PlanNode, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  const rel = n['Relation Name'] ? ` on ${n['Relation Name']}` : '';
  const idx = n['Index Name'] ? ` using ${n['Index Name']}` : '';
  const sub =
    n['Parent Relationship'] === 'SubPlan' || n['Parent Relationship'] === 'InitPlan'
      ? `${n['Subplan Name'] ?? ''} `
      : '';
  out.push(
    `${pad}${depth > 0 ? '-> ' : ''}${sub}${n['Node Type']}${idx}${rel} (rows=${n['Actual Rows'] ?? '?'} loops=${n['Actual Loops'] ?? '?'})`,
  );
  for (const key of DETAILS) if (n[key] !== undefined) out.push(`${pad}     ${key}: ${String(n[key])}`);
  for (const c of n.Plans ?? []) lines(c, depth + 1, out);
}

/** The plan as EXPLAIN's text form roughly prints it: one node a line, the deciding details under it. */
export function planText(p: ExplainedPlan | null): string {
  if (p === null) return '(not run)';
  const out: string[] = [];
  lines(p.Plan, 0, out);
  out.push(`Planning Time: ${p['Planning Time'] ?? '?'} ms`, `Execution Time: ${p['Execution Time'] ?? '?'} ms`);
  return out.join('\n');
}
