import type { SchemaDifference } from '../../compare/schema';
import type { TableParity } from '../data';
import type { SecurityMatrix } from '../security';
import type { StorageValidation } from '../storage';
import type { VectorValidation } from '../vectors';
import type { PerformanceValidation } from '../performance';
import { performanceSection } from './performance-section';
import { escapeHtml, STYLE } from './parts';

/** What validate found, as the report shows it (the command's result has this shape). */
export interface ReportInput {
  ok: boolean;
  schema: { differences: SchemaDifference[] } | null;
  data: { tables: TableParity[] } | null;
  /** The access matrix and the advisor lints (by default, and with --security). */
  security?: SecurityMatrix;
  /** Objects against the storage manifests, and the bucket access matrix, with --storage only. */
  storage?: StorageValidation;
  /** Dimensions and recall of every vector column, with --vectors (or by default when the plan has any). */
  vectors?: VectorValidation;
  /** Every workload query timed on both sides with its plans, with --performance only. */
  performance?: PerformanceValidation;
}

const verdict = (ok: boolean | undefined): string =>
  ok === undefined
    ? '<span class="na">not run</span>'
    : ok
      ? '<span class="ok">ok</span>'
      : '<span class="bad">fails</span>';

function summaryRows(r: ReportInput): string {
  const rows: [string, boolean | undefined, string][] = [
    [
      'schema',
      r.schema ? r.schema.differences.length === 0 : undefined,
      r.schema ? `${r.schema.differences.length} differences` : '',
    ],
    [
      'data',
      r.data ? r.data.tables.every((t) => t.ok) : undefined,
      r.data ? `${r.data.tables.length} tables${generatedWarnings(r.data.tables)}` : '',
    ],
    [
      'security',
      r.security?.ok,
      r.security ? `${r.security.cells.length} matrix cells, ${r.security.lints.length} lints` : '',
    ],
    ['storage', r.storage?.ok, r.storage ? `${r.storage.buckets.length} buckets` : ''],
    ['vectors', r.vectors?.ok, r.vectors ? `${r.vectors.columns.length} columns` : ''],
    [
      'performance',
      r.performance?.ok,
      r.performance
        ? `${r.performance.queries.length} queries, ${r.performance.queries.filter((q) => q.regressed).length} slower`
        : '',
    ],
  ];
  return rows
    .map(([name, ok, detail]) => `<tr><th>${name}</th><td>${verdict(ok)}</td><td>${escapeHtml(detail)}</td></tr>`)
    .join('\n');
}

function detailSections(r: ReportInput): string {
  const out: string[] = [];
  if (r.schema && r.schema.differences.length > 0) {
    out.push(
      `<h2>Schema</h2><ul>${r.schema.differences.map((d) => `<li>${escapeHtml(`${d.kind} ${d.object}: ${d.detail}`)}</li>`).join('')}</ul>`,
    );
  }
  if (r.data) {
    const rows = r.data.tables.map(
      (t) =>
        `<tr><td>${escapeHtml(t.table)}</td><td>${t.sourceRows}</td><td>${t.targetRows}</td><td>${verdict(t.ok)}</td></tr>`,
    );
    out.push(
      `<h2>Data</h2><table><tr><th>table</th><th>source rows</th><th>target rows</th><th></th></tr>${rows.join('')}</table>`,
    );
  }
  if (r.security) {
    const lints = r.security.lints.map((l) => `<li>${escapeHtml(JSON.stringify(l))}</li>`).join('');
    out.push(
      `<h2>Security</h2><p>${r.security.cells.length} cells of the access matrix; ${verdict(r.security.ok)}</p><ul>${lints}</ul>`,
    );
  }
  if (r.storage) out.push(`<h2>Storage</h2><p>${verdict(r.storage.ok)}: ${r.storage.buckets.length} buckets</p>`);
  if (r.vectors) out.push(`<h2>Vectors</h2><p>${verdict(r.vectors.ok)}: ${r.vectors.columns.length} columns</p>`);
  if (r.performance) out.push(performanceSection(r.performance));
  return out.join('\n');
}

/**
 * One HTML file with nothing to fetch: inline CSS, charts as inline SVG, no script or link to
 * anywhere, and a CSP that forbids any request, so it opens offline as a CI artifact.
 */
export function renderReport(project: string, r: ReportInput): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>supamigrate validate: ${escapeHtml(project)}</title>
<style>${STYLE}</style></head>
<body><h1>supamigrate validate: ${escapeHtml(project)} ${verdict(r.ok)}</h1>
<table class="summary">${summaryRows(r)}</table>
${detailSections(r)}
</body></html>
`;
}

function generatedWarnings(tables: TableParity[]): string {
  const n = tables.reduce((k, t) => k + (t.generated?.length ?? 0), 0);
  return n > 0 ? `; ${n} generated column(s) differ (recomputed by the target)` : '';
}
