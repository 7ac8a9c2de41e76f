import type { Analysis, Pattern } from '../analyze/types';

/** One YAML comment line per finding; newlines in evidence would end the comment early. */
export const comment = (text: string, indent = ''): string => `${indent}# ${text.replace(/[\r\n]+/g, ' ')}`.trimEnd();

const SUMMARIZED_KINDS = new Set(['tenant', 'owner']);

/** Tenant columns collapse to one line per column, since the evidence already counts the tables. */
export function patternLines(patterns: readonly Pattern[]): string[] {
  const tenants = [
    ...new Set(patterns.filter((p) => p.kind === 'tenant').map((p) => `${p.evidence} [${p.confidence}]`)),
  ];
  const lines = tenants.map((evidence) => `${evidence}: security patterns will use it`);
  const owners = patterns.filter((p) => p.kind === 'owner' && p.confidence !== 'low');
  if (owners.length > 0) {
    lines.push(
      'owner columns, candidates for "own rows" policies:',
      ...owners.map((p) => `  ${p.table}.${p.columns[0]} [${p.confidence}]: ${p.evidence}`),
    );
  }
  for (const p of patterns.filter((q) => !SUMMARIZED_KINDS.has(q.kind))) {
    lines.push(
      `${p.kind} ${p.table}${p.columns.length > 0 ? ` (${p.columns.join(', ')})` : ''} [${p.confidence}]: ${p.evidence}`,
    );
  }
  return lines;
}

export function riskLines(analysis: Analysis): string[] {
  return analysis.risks.flatMap((r) => [`[${r.severity}] ${r.code} ${r.object}: ${r.why}`, `    fix: ${r.mitigation}`]);
}
