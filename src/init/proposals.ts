import type { Analysis, Pattern } from '../analyze/types';
import { embeddingDimensions, onlyEmptyEmbeddings } from '../analyze/patterns/embedding';
import { qualified, type Snapshot } from '../introspect/snapshot';
import { DEFAULT_DIMENSIONS } from '../spec/vectors';

/**
 * Vector and storage proposals. The vectors section is written live (the columns and dimensions
 * come from the source); the storage one stays commented out because its base_dir is a guess.
 */
const best = (patterns: readonly Pattern[], kind: string): Pattern[] =>
  patterns.filter((p) => p.kind === kind && p.confidence !== 'low');

/**
 * Every embedding column, with the dimensions the source shows (a CHECK, a type modifier or the
 * sampled lengths) or the seed's 1536, the cosine distance OpenAI embeddings use, and an HNSW
 * index with pgvector's defaults.
 */
function vectorsBlock(patterns: readonly Pattern[], snapshot: Snapshot | undefined): string[] {
  const columns = best(patterns, 'embedding');
  if (columns.length === 0) return [];
  const found = (p: Pattern) => {
    const table = snapshot?.tables.find((t) => qualified(t) === p.table);
    const column = table?.columns.find((c) => c.name === p.columns[0]);
    return snapshot && table && column ? { snapshot, table, column } : null;
  };
  const dimensionsOf = (p: Pattern): number | null => {
    const f = found(p);
    return f ? embeddingDimensions(f.snapshot, f.table, f.column) : null;
  };
  // Rows whose arrays are all empty give no dimensions, and the seed's would refuse them at load.
  const unknown = (p: Pattern): boolean => {
    const f = found(p);
    return f !== null && dimensionsOf(p) === null && onlyEmptyEmbeddings(f.snapshot, f.table, f.column);
  };
  const live = columns.filter((p) => !unknown(p));
  const lines = [
    'vectors:',
    '  # Each column listed becomes extensions.vector(dimensions), converted while its rows load, with',
    '  # the index built after the load and a match_<table>() function for supabase.rpc(). The target',
    '  # needs pgvector (Supabase has it); options.enable_vector_migration: false keeps the arrays.',
    `  dimensions: ${(live[0] && dimensionsOf(live[0])) ?? DEFAULT_DIMENSIONS}`,
    '  columns:',
  ];
  for (const p of columns) {
    const column = [
      `    ${p.table}.${p.columns[0]}:`,
      `      dimensions: ${dimensionsOf(p) ?? DEFAULT_DIMENSIONS}`,
      '      distance: cosine',
      '      index: { hnsw: { m: 16, ef_construction: 64 } }',
      '      on_wrong_length: fail',
    ];
    if (!unknown(p)) lines.push(...column);
    else
      lines.push(
        `    # ${p.table}.${p.columns[0]}: every sampled value is an empty array, so its dimensions are`,
        '    # unknown; set them and uncomment to convert it (it is copied as an array until then)',
        ...column.map((l) => l.replace(/^(\s*)/, '$1# ')),
      );
  }
  // With no column live, the section stays a comment: an empty columns list is not a valid spec.
  return live.length > 0 ? lines : lines.map((l) => `# ${l}`);
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

/** The live `vectors:` section for the detected embedding columns; empty when there are none. */
export function vectorsLines(analysis: Analysis, snapshot?: Snapshot): string[] {
  return vectorsBlock(analysis.patterns, snapshot);
}

/** The storage proposal, to be written commented out: it needs the folder the files are in. */
export function proposalLines(analysis: Analysis): string[] {
  // security: and vectors: are written live (./security-yaml.ts, vectorsLines).
  return storageBlock(analysis.patterns);
}
