import { formatBytes, formatDuration, groupDigits } from '../../analyze/format';
import type { Analysis, Relationships } from '../../analyze/types';

/** Pads every column to its widest cell; the last column is left ragged. */
export function alignRows(rows: string[][], indent = '  '): string[] {
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
  return rows.map((row) =>
    (indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).trimEnd(),
  );
}

function summarySection(a: Analysis): string[] {
  const s = a.summary;
  const rows: [string, string][] = [
    ['schemas', groupDigits(s.schemas)],
    ['tables', groupDigits(s.tables)],
    ['columns', groupDigits(s.columns)],
    ['views', groupDigits(s.views)],
    ['materialized views', groupDigits(s.materializedViews)],
    ['functions', groupDigits(s.functions)],
    ['triggers', groupDigits(s.triggers)],
    ['sequences', groupDigits(s.sequences)],
    ['enums', groupDigits(s.enums)],
    ['domains', groupDigits(s.domains)],
    ['policies', groupDigits(s.policies)],
    ['extensions', groupDigits(s.extensions)],
    ['estimated rows', groupDigits(s.estimatedRows)],
    ['total size', formatBytes(s.totalBytes)],
  ];
  return ['Summary', ...alignRows(rows.map(([k, v]) => [k, v.padStart(12)]))];
}

function relationshipsSection(r: Relationships): string[] {
  const lines = [`Relationships (${r.edges.length} foreign ${r.edges.length === 1 ? 'key' : 'keys'})`];
  lines.push(
    ...alignRows(
      r.edges.map((e) => [e.from, `(${e.columns.join(', ')})`, '->', `${e.to} (${e.refColumns.join(', ')})`]),
    ),
  );
  lines.push(`  isolated tables: ${r.isolated.length > 0 ? r.isolated.join(', ') : 'none'}`);
  lines.push(`  cycles: ${r.cycles.length > 0 ? r.cycles.map((c) => `[${c.join(', ')}]`).join(' ') : 'none'}`);
  lines.push('  load order:');
  lines.push(
    ...alignRows(
      r.loadOrder.map((t, i) => [`${i + 1}.`.padStart(5), t]),
      '  ',
    ),
  );
  if (r.deferredEdges.length > 0) {
    lines.push(
      `  foreign keys added after the data: ${r.deferredEdges.map((e) => `${e.from}.${e.constraint}`).join(', ')}`,
    );
  }
  return lines;
}

function patternsSection(a: Analysis): string[] {
  if (a.patterns.length === 0) return ['Patterns', '  none detected'];
  const rows = a.patterns.map((p) => [p.kind, p.table, p.columns.join(', ') || '-', p.confidence, p.evidence]);
  return ['Patterns', ...alignRows([['kind', 'table', 'columns', 'confidence', 'evidence'], ...rows])];
}

function complexitySection(a: Analysis): string[] {
  const c = a.complexity;
  const rows = c.inputs.map((i) => [i.name, String(i.value), `x ${i.weight}`, String(i.points)]);
  return [
    `Complexity: ${c.score} points, tier ${c.tier}`,
    ...alignRows([['input', 'value', 'weight', 'points'], ...rows]),
  ];
}

function risksSection(a: Analysis): string[] {
  const excluded = a.excludedRisks ?? [];
  const apart =
    excluded.length === 0
      ? []
      : [
          `  excluded by the spec, not migrated (${excluded.length}): ${excluded.map((r) => `${r.code} ${r.object}`).join('; ')}`,
        ];
  if (a.risks.length === 0) return ['Risks', '  none found', ...apart];
  return [
    'Risks',
    ...a.risks.flatMap((r) => [
      `  [${r.severity}] ${r.code}: ${r.object}`,
      `      why: ${r.why}`,
      `      fix: ${r.mitigation}`,
    ]),
    ...apart,
  ];
}

function notCarriedSection(a: Analysis): string[] {
  if (a.notCarried.length === 0) return [];
  return [
    'Not carried (Supabase cannot hold; skipped on purpose in schema.skip_objects)',
    ...a.notCarried.map((u) => `  ${u.object}: ${u.reason}`),
  ];
}

function sensitiveSection(a: Analysis): string[] {
  if (a.sensitive.length === 0) return ['Sensitive columns', '  none found'];
  const why = '  (names that look like secrets: the plan never grants them to anon or authenticated)';
  return ['Sensitive columns', why, ...a.sensitive.map((line) => `  ${line}`)];
}

function estimateSection(a: Analysis): string[] {
  const e = a.estimate;
  const b = e.breakdown;
  return [
    `Estimated duration: ${formatDuration(e.seconds)} (DDL ${b.ddlSeconds} s, copy ${b.copySeconds} s, indexes ${b.indexSeconds} s)`,
    ...e.assumptions.map((line) => `  - ${line}`),
  ];
}

/** The report `supamigrate analyze` prints: plain text, aligned, identical for identical input. */
export function renderAnalysis(a: Analysis): string {
  const sections = [
    summarySection(a),
    relationshipsSection(a.relationships),
    patternsSection(a),
    complexitySection(a),
    risksSection(a),
    notCarriedSection(a),
    sensitiveSection(a),
    estimateSection(a),
  ];
  return `${sections
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join('\n'))
    .join('\n\n')}\n`;
}
