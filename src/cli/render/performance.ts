import type { PerformanceValidation } from '../../validate/performance';

const ms = (v: number | null): string => (v === null ? 'n/a' : `${v.toFixed(2)} ms`);

/** One line per query; a slower one names both plans' key nodes and the likely fix. */
export function performanceLines(p: PerformanceValidation): string[] {
  const out = [
    `performance: ${p.queries.length} queries, ${p.queries.filter((q) => q.regressed).length} slower on the target`,
  ];
  for (const q of p.queries) {
    const ratio = q.ratio === null ? '' : ` (${q.ratio.toFixed(2)}x)`;
    out.push(
      `  ${q.regressed ? 'SLOWER' : 'ok    '} ${q.name}: source ${ms(q.source_ms)}, target ${ms(q.target_ms)}${ratio}`,
    );
    if (!q.regressed) continue;
    if (q.error) out.push(`      error: ${q.error}`);
    for (const f of q.findings) out.push(`      ${f.kind}: ${f.message}`, `      fix: ${f.fix}`);
    out.push(
      `      source plan: ${q.source_nodes.join('; ') || 'n/a'}`,
      `      target plan: ${q.target_nodes.join('; ') || 'n/a'}`,
    );
  }
  for (const s of p.skipped) out.push(`  left out: ${s.sql.replace(/\s+/g, ' ').slice(0, 100)}: ${s.reason}`);
  return out;
}
