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

/**
 * One bucket per detected file column (named by its table and column; a column name is the
 * evidence, so the comment asks for a look at the values). No access pattern is proposed: which
 * folder layout the keys have is the user's call, so the bucket starts service-only.
 */
function storageBlock(patterns: readonly Pattern[]): string[] {
  const columns = best(patterns, 'file-path');
  if (columns.length === 0) return [];
  const lines = [
    'storage:',
    '  # Columns whose names suggest uploaded files. Check that they hold paths relative to a folder',
    '  # you can point base_dir at (absolute URLs are left alone), then add access patterns:',
    '  # owner_folder for <uid>/... keys, tenant_folder, public_read, authenticated_read or custom.',
    '  buckets:',
  ];
  for (const p of columns) {
    const table = p.table.split('.').pop() as string;
    lines.push(
      `    - name: ${table}-${p.columns[0].replace(/_/g, '-')}   # ${p.evidence} [${p.confidence}]`,
      '      sources:',
      `        - column: ${p.table}.${p.columns[0]}`,
      '          base_dir: uploads   # the folder the paths are relative to',
      '          rewrite: true       # point the column at the object key after upload',
    );
  }
  return lines;
}

export function proposalLines(analysis: Analysis): string[] {
  // security: is written live (./security-yaml.ts).
  const blocks = [vectorsBlock(analysis.patterns), storageBlock(analysis.patterns)];
  return blocks.filter((b) => b.length > 0).flatMap((b, i) => (i === 0 ? b : ['', ...b]));
}
