import type { Analysis, Pattern } from '../analyze/types';

/**
 * Vector and storage proposals, written as commented-out YAML: those sections are
 * still being designed, so the live file must not contain them, but the user should see them.
 */
const best = (patterns: readonly Pattern[], kind: string): Pattern[] =>
  patterns.filter((p) => p.kind === kind && p.confidence !== 'low');

function vectorsBlock(patterns: readonly Pattern[]): string[] {
  const columns = patterns.filter((p) => p.kind === 'embedding' && !p.evidence.includes('already a pgvector'));
  if (columns.length === 0) return [];
  return ['vectors:', '  columns:', ...columns.flatMap((p) => [`    - table: ${p.table}`, `      column: ${p.columns[0]}`, '      index: hnsw'])];
}

function storageBlock(patterns: readonly Pattern[]): string[] {
  const columns = best(patterns, 'file-path');
  if (columns.length === 0) return [];
  return ['storage:', '  path_columns:', ...columns.map((p) => `    - ${p.table}.${p.columns[0]}`)];
}

export function proposalLines(analysis: Analysis): string[] {
  // security: is written live (./security-yaml.ts).
  const blocks = [vectorsBlock(analysis.patterns), storageBlock(analysis.patterns)];
  return blocks.filter((b) => b.length > 0).flatMap((b, i) => (i === 0 ? b : ['', ...b]));
}
