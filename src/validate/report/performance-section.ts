import type { PerformanceValidation, QueryTiming } from '../performance';
import { escapeHtml } from './parts';
import { planText } from './plan-text';

const W = 360;
const BAR = 14;

/** Every timed run as a bar, source above target, scaled to the slowest run of the query. */
export function chartSvg(q: QueryTiming): string {
  const max = Math.max(0.001, ...q.source_runs, ...q.target_runs);
  const bars = (runs: number[], cls: string, y0: number) =>
    runs
      .map(
        (ms, i) =>
          `<rect class="${cls}" x="70" y="${y0 + i * (BAR + 2)}" width="${Math.max(1, (ms / max) * W).toFixed(1)}" height="${BAR}"><title>${ms.toFixed(3)} ms</title></rect>`,
      )
      .join('');
  const srcH = q.source_runs.length * (BAR + 2);
  const h = srcH + q.target_runs.length * (BAR + 2) + 24;
  const slow = q.regressed ? ' slow' : '';
  return (
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${W + 150}" height="${h}" role="img" aria-label="runs of ${escapeHtml(q.name)}">` +
    `<text x="0" y="12" font-size="11">source</text>${bars(q.source_runs, 'source', 0)}` +
    `<text x="0" y="${srcH + 20}" font-size="11">target</text>${bars(q.target_runs, `target${slow}`, srcH + 8)}` +
    `<text x="70" y="${h - 2}" font-size="11">0 .. ${max.toFixed(3)} ms</text></svg>`
  );
}

const ms = (v: number | null): string => (v === null ? 'n/a' : `${v.toFixed(3)} ms`);

function querySection(q: QueryTiming): string {
  const findings = q.findings
    .map((f) => `<li><b>${f.kind}</b>: ${escapeHtml(f.message)}; fix: ${escapeHtml(f.fix)}</li>`)
    .join('');
  return `<div class="query${q.regressed ? ' regressed' : ''}">
<h3>${escapeHtml(q.name)} <small>(${escapeHtml(q.role)}, ${q.origin})</small></h3>
<p>source ${ms(q.source_ms)}, target ${ms(q.target_ms)}, ratio ${q.ratio === null ? 'n/a' : `${q.ratio.toFixed(2)}x`}
${q.regressed ? '<span class="bad">slower</span>' : '<span class="ok">ok</span>'}${q.error ? ` error: ${escapeHtml(q.error)}` : ''}</p>
${findings ? `<ul>${findings}</ul>` : ''}
${chartSvg(q)}
<details><summary>SQL</summary><code class="sql">${escapeHtml(q.sql)}</code></details>
<div class="plans"><div><h4>source plan</h4><pre>${escapeHtml(planText(q.source_plan))}</pre></div>
<div><h4>target plan</h4><pre>${escapeHtml(planText(q.target_plan))}</pre></div></div>
</div>`;
}

export function performanceSection(p: PerformanceValidation): string {
  const skipped = p.skipped.map((s) => `<li>${escapeHtml(s.sql)}: ${escapeHtml(s.reason)}</li>`).join('');
  return `<h2>Performance</h2>
<p>${p.queries.length} queries; validate took ${(p.wallMs / 1000).toFixed(1)} s, the queries themselves ${(p.queriesMs / 1000).toFixed(2)} s</p>
${skipped ? `<details><summary>${p.skipped.length} left out</summary><ul>${skipped}</ul></details>` : ''}
${p.queries.map(querySection).join('\n')}`;
}
