import type { Analysis, Pattern } from '../analyze/types';

/**
 * Security, vector and storage proposals, written as commented-out YAML: those sections are
 * still being designed, so the live file must not contain them, but the user should see them.
 */
const best = (patterns: readonly Pattern[], kind: string): Pattern[] =>
  patterns.filter((p) => p.kind === kind && p.confidence !== 'low');

const RANK = { high: 0, medium: 1, low: 2 };

/** The most certain tenant column, ties broken by name. */
function chooseTenant(patterns: readonly Pattern[]): Pattern | undefined {
  return [...best(patterns, 'tenant')].sort(
    (a, b) => RANK[a.confidence] - RANK[b.confidence] || (a.columns[0] < b.columns[0] ? -1 : a.columns[0] > b.columns[0] ? 1 : 0),
  )[0];
}

function securityBlock(analysis: Analysis): string[] {
  const { patterns } = analysis;
  const tenant = chooseTenant(patterns);
  const owners = best(patterns, 'owner');
  const members = best(patterns, 'membership');
  if (!tenant && owners.length === 0 && members.length === 0) return [];
  const lines = ['security:'];
  if (tenant) {
    const target = analysis.relationships.edges.find(
      (e) => e.from === tenant.table && e.columns.length === 1 && e.columns[0] === tenant.columns[0])?.to;
    lines.push('  tenant:', `    column: ${tenant.columns[0]}`, ...(target ? [`    table: ${target}`] : []));
  }
  if (owners.length > 0) {
    const byTable = new Map<string, string[]>();
    for (const p of owners) byTable.set(p.table, (byTable.get(p.table) ?? []).concat(p.columns[0]));
    const value = (cols: string[]): string => (cols.length === 1 ? cols[0] : `[${cols.join(', ')}]`);
    lines.push('  owner_columns:', ...[...byTable].map(([table, cols]) => `    ${table}: ${value(cols)}`));
  }
  if (members.length > 0) {
    lines.push('  memberships:', ...members.map((p) => `    - ${p.table}`));
  }
  return lines;
}

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
  const blocks = [securityBlock(analysis), vectorsBlock(analysis.patterns), storageBlock(analysis.patterns)];
  return blocks.filter((b) => b.length > 0).flatMap((b, i) => (i === 0 ? b : ['', ...b]));
}
