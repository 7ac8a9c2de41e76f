import type { KeyPath, SpecProblem } from '../yaml/problem';
import type { VectorColumnSpec, VectorDistance, VectorIndex, VectorsSpec, VectorType, WrongLength } from './types';

type Plain = Record<string, unknown>;

/** A column's settings (or the section's defaults) as the validated document has them. */
interface RawVectorColumn {
  dimensions?: number;
  type?: VectorType;
  distance?: VectorDistance;
  index?: { hnsw?: { m?: number; ef_construction?: number }; ivfflat?: { lists?: number }; none?: boolean };
  on_wrong_length?: WrongLength | null;
}

/** The validated `vectors:` section. */
export interface RawVectors extends RawVectorColumn {
  columns?: Record<string, RawVectorColumn>;
}

/** The seed's `vector_dimensions`: OpenAI's text-embedding-3-small and ada-002. */
export const DEFAULT_DIMENSIONS = 1536;
/** Where pgvector's indexes stop (HNSW and IVFFlat alike), per storage type. */
export const INDEXABLE_DIMENSIONS = { vector: 2000, halfvec: 4000 } as const;

const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);
const INDEX_METHODS = ['hnsw', 'ivfflat', 'none'] as const;

/** Maps the validated `vectors:` section; every column gets the section's value for a key it leaves out. */
export function toVectorsSpec(raw: RawVectors): VectorsSpec {
  const columns: Record<string, VectorColumnSpec> = {};
  for (const key of Object.keys(raw.columns ?? {}).sort()) {
    const c = { ...withoutUndefined(raw), ...withoutUndefined((raw.columns ?? {})[key]) };
    columns[key] = {
      dimensions: c.dimensions ?? DEFAULT_DIMENSIONS,
      type: c.type ?? 'vector',
      distance: c.distance ?? 'cosine',
      index: toIndex(c.index ?? { hnsw: {} }),
      // YAML reads a bare `null` as null: it means the rule null, not "unset".
      onWrongLength: c.on_wrong_length === null ? 'null' : (c.on_wrong_length ?? 'fail'),
    };
  }
  return { dimensions: raw.dimensions ?? DEFAULT_DIMENSIONS, columns };
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== undefined && k !== 'columns')) as Partial<T>;
}

function toIndex(index: NonNullable<RawVectorColumn['index']>): VectorIndex {
  if (index.ivfflat) return { method: 'ivfflat', lists: index.ivfflat.lists ?? 100 };
  if (index.none) return { method: 'none' };
  return { method: 'hnsw', m: index.hnsw?.m ?? 16, efConstruction: index.hnsw?.ef_construction ?? 64 };
}

/** What the schema cannot say: one index method, and an index only where pgvector can build one. */
export function vectorProblems(raw: Plain): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const levels: { path: KeyPath; value: Plain }[] = [{ path: ['vectors'], value: raw }];
  for (const [key, value] of Object.entries(isPlain(raw.columns) ? raw.columns : {}).sort(([a], [b]) =>
    a < b ? -1 : 1,
  )) {
    if (isPlain(value)) levels.push({ path: ['vectors', 'columns', key], value });
  }
  for (const { path, value } of levels) {
    const index = value.index;
    if (!isPlain(index)) continue;
    const methods = INDEX_METHODS.filter((m) => m in index);
    if (methods.length > 1) {
      problems.push({
        path: [...path, 'index'],
        message: `names ${methods.length} index methods (${methods.join(', ')})`,
        fix: 'keep exactly one of hnsw, ivfflat or none',
      });
    }
  }
  for (const { path, value } of levels.slice(1)) {
    const effective = { ...withoutUndefined(raw), ...withoutUndefined(value) };
    const type: 'vector' | 'halfvec' = effective.type === 'halfvec' ? 'halfvec' : 'vector';
    const dimensions = typeof effective.dimensions === 'number' ? effective.dimensions : DEFAULT_DIMENSIONS;
    const indexed = !(isPlain(effective.index) && effective.index.none === true);
    const limit = INDEXABLE_DIMENSIONS[type];
    if (indexed && dimensions > limit) {
      const where: KeyPath = 'dimensions' in value ? [...path, 'dimensions'] : path;
      const fix =
        type === 'vector' && dimensions <= INDEXABLE_DIMENSIONS.halfvec
          ? 'set type: halfvec (half precision, indexable up to 4000 dimensions), or index: { none: true } for ' +
            'exact scans'
          : 'set index: { none: true } (exact scans), or reduce the dimensions (e.g. a shortened embedding model)';
      problems.push({
        path: where,
        message: `${dimensions} dimensions cannot be indexed as ${type} (pgvector indexes ${type} up to ${limit})`,
        fix,
      });
    }
  }
  return problems;
}
