import type { Analysis, Pattern } from '../analyze/types';
import { embeddingDimensions } from '../analyze/patterns/embedding';
import { qualified, type Snapshot } from '../introspect/snapshot';
import { DEFAULT_DIMENSIONS } from '../spec/vectors';

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

/**
 * Every embedding column, with the dimensions the source shows (a CHECK, a type modifier or the
 * sampled lengths) or the seed's 1536, the cosine distance OpenAI embeddings use, and an HNSW
 * index with pgvector's defaults.
 */
function vectorsBlock(patterns: readonly Pattern[], snapshot: Snapshot | undefined): string[] {
  const columns = best(patterns, 'embedding');
  if (columns.length === 0) return [];
  const dimensionsOf = (p: Pattern): number | null => {
    const table = snapshot?.tables.find((t) => qualified(t) === p.table);
    const column = table?.columns.find((c) => c.name === p.columns[0]);
    return snapshot && table && column ? embeddingDimensions(snapshot, table, column) : null;
  };
  const lines = [
    'vectors:',
    '  # Each column listed becomes extensions.vector(dimensions), converted while its rows load, with',
    '  # the index built after the load and a match_<table>() function for supabase.rpc(). The target',
    '  # needs pgvector (Supabase has it); ENABLE_VECTOR_MIGRATION=false keeps the arrays.',
    `  dimensions: ${dimensionsOf(columns[0]) ?? DEFAULT_DIMENSIONS}`,
    '  columns:',
  ];
  for (const p of columns) {
    lines.push(
      `    ${p.table}.${p.columns[0]}:`,
      `      dimensions: ${dimensionsOf(p) ?? DEFAULT_DIMENSIONS}`,
      '      distance: cosine',
      '      index: { hnsw: { m: 16, ef_construction: 64 } }',
      '      on_wrong_length: fail',
    );
  }
  return lines;
}

function storageBlock(patterns: readonly Pattern[]): string[] {
  const columns = best(patterns, 'file-path');
  if (columns.length === 0) return [];
  return ['storage:', '  path_columns:', ...columns.map((p) => `    - ${p.table}.${p.columns[0]}`)];
}

export function proposalLines(analysis: Analysis, snapshot?: Snapshot): string[] {
  const blocks = [securityBlock(analysis), vectorsBlock(analysis.patterns, snapshot), storageBlock(analysis.patterns)];
  return blocks.filter((b) => b.length > 0).flatMap((b, i) => (i === 0 ? b : ['', ...b]));
}
