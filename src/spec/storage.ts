import { isAbsolute } from 'path';
import type { SpecProblem } from '../yaml/problem';
import { parseSize } from './size';
import type {
  ApiRole,
  BucketSpec,
  Operation,
  StorageAccess,
  StorageAccessShape,
  StorageSource,
  StorageSpec,
} from './types';

type Plain = Record<string, unknown>;

/** One validated access item: exactly one kind key, plus operations. */
interface RawAccess {
  tenant_folder?: { claim: unknown };
  custom?: { using?: string | null; with_check?: string | null; to?: ApiRole[] };
  operations?: Operation[];
  [kind: string]: unknown;
}

/** One validated source item: a directory, or a column holding paths. */
interface RawSource {
  directory?: string;
  prefix?: string;
  column?: unknown;
  base_dir: string;
  under?: string | null;
  strip_components?: number;
  rewrite?: boolean;
}

interface RawBucket {
  name: string;
  public?: boolean;
  file_size_limit?: number | string;
  allowed_mime_types?: string[];
  cache_control: number;
  access: RawAccess[];
  sources: RawSource[];
}

/** The validated `storage:` section. */
export interface RawStorage {
  parallel?: number;
  retries?: number;
  buckets?: RawBucket[];
}

export const STORAGE_ACCESS_KINDS = [
  'owner_folder',
  'tenant_folder',
  'public_read',
  'authenticated_read',
  'custom',
] as const;
const ALL_OPERATIONS: Operation[] = ['select', 'insert', 'update', 'delete'];
const READ_ONLY = new Set(['public_read', 'authenticated_read']);

const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);
const kindsOf = (item: Plain): string[] => STORAGE_ACCESS_KINDS.filter((k) => k in item);

/** Maps the validated `storage:` section; keys the file left out stay out. */
export function toStorageSpec(raw: RawStorage): StorageSpec {
  const out: StorageSpec = {};
  if (raw.parallel !== undefined) out.parallel = raw.parallel;
  if (raw.retries !== undefined) out.retries = raw.retries;
  if (raw.buckets !== undefined) out.buckets = (raw.buckets as RawBucket[]).map(toBucket);
  return out;
}

function toBucket(b: RawBucket): BucketSpec {
  const access = (b.access as RawAccess[]).map(toAccess);
  return {
    name: b.name,
    public: b.public ?? access.some((a) => a.kind === 'public_read'),
    fileSizeLimit: b.file_size_limit === undefined ? null : parseSize(b.file_size_limit),
    allowedMimeTypes: b.allowed_mime_types ? [...b.allowed_mime_types].sort() : null,
    cacheControlSeconds: b.cache_control,
    access,
    sources: (b.sources as RawSource[]).map(toSource),
  };
}

function toAccess(item: RawAccess): StorageAccess {
  const kind = kindsOf(item)[0];
  const shape: StorageAccessShape =
    kind === 'tenant_folder'
      ? { kind, claim: String(item.tenant_folder!.claim).split('.') }
      : kind === 'custom'
        ? { kind, using: item.custom!.using ?? null, withCheck: item.custom!.with_check ?? null }
        : { kind: kind as 'owner_folder' | 'public_read' | 'authenticated_read' };
  const operations: Operation[] = item.operations ?? (READ_ONLY.has(kind) ? ['select'] : ALL_OPERATIONS);
  const roles: ApiRole[] =
    kind === 'public_read'
      ? ['anon', 'authenticated']
      : kind === 'custom'
        ? (item.custom!.to ?? ['authenticated'])
        : ['authenticated'];
  return { ...shape, operations: [...operations].sort(), roles: [...roles].sort() };
}

function toSource(s: RawSource): StorageSource {
  if (s.directory !== undefined) return { kind: 'directory', directory: s.directory, prefix: s.prefix ?? '' };
  const [schema, table, column] = String(s.column).split('.');
  return {
    kind: 'column',
    schema,
    table,
    column,
    baseDir: s.base_dir,
    under: s.under ?? null,
    stripComponents: s.strip_components ?? 0,
    rewrite: s.rewrite ?? false,
  };
}

/** What the schema cannot say: one pattern and one kind of source per item, unique names, relative paths. */
export function storageProblems(raw: unknown): SpecProblem[] {
  if (!isPlain(raw) || !Array.isArray(raw.buckets)) return [];
  const problems: SpecProblem[] = [];
  const seen = new Map<string, number>();
  raw.buckets.forEach((bucket: unknown, i: number) => {
    if (!isPlain(bucket)) return;
    const path = ['storage', 'buckets', i];
    if (typeof bucket.name === 'string') {
      const earlier = seen.get(bucket.name);
      if (earlier !== undefined)
        problems.push({
          path: [...path, 'name'],
          message: `bucket "${bucket.name}" is also storage.buckets[${earlier}]`,
          fix: 'give every bucket its own name, or merge their sources',
        });
      else seen.set(bucket.name, i);
    }
    if (Array.isArray(bucket.access))
      bucket.access.forEach(
        (a: unknown, j: number) => isPlain(a) && problems.push(...accessProblems([...path, 'access', j], a, bucket)),
      );
    if (Array.isArray(bucket.sources))
      bucket.sources.forEach(
        (s: unknown, j: number) => isPlain(s) && problems.push(...sourceProblems([...path, 'sources', j], s)),
      );
  });
  return problems;
}

function accessProblems(path: (string | number)[], item: Plain, bucket: Plain): SpecProblem[] {
  const kinds = kindsOf(item);
  if (kinds.length !== 1) {
    const message =
      kinds.length === 0 ? 'names no access pattern' : `names ${kinds.length} access patterns (${kinds.join(', ')})`;
    return [{ path, message, fix: `write exactly one of ${STORAGE_ACCESS_KINDS.join(', ')} per list item` }];
  }
  const writes = Array.isArray(item.operations) ? (item.operations as string[]).filter((o) => o !== 'select') : [];
  if (READ_ONLY.has(kinds[0]) && writes.length > 0) {
    return [
      {
        path: [...path, 'operations'],
        message: `${kinds[0]} only reads, but operations list ${writes.join(', ')}`,
        fix: 'use owner_folder, tenant_folder or custom to open writes',
      },
    ];
  }
  if (kinds[0] === 'public_read' && bucket.public === false) {
    return [
      {
        path,
        message: 'public_read on a bucket with public: false',
        fix: 'remove `public: false` (public_read makes the bucket public) or use authenticated_read',
      },
    ];
  }
  const to = isPlain(item.custom) && Array.isArray(item.custom.to) ? (item.custom.to as string[]) : [];
  const customWrites = item.operations === undefined ? ['insert', 'update', 'delete'] : writes;
  if (to.includes('anon') && customWrites.length > 0) {
    return [
      {
        path,
        message: `opens ${customWrites.join(', ')} on the bucket to anon (anyone without signing in)`,
        fix: 'limit operations to [select] for anon, or drop anon from custom.to',
      },
    ];
  }
  return [];
}

function sourceProblems(path: (string | number)[], s: Plain): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const isDir = s.directory !== undefined;
  const isColumn = s.column !== undefined;
  if (isDir === isColumn) {
    return [
      {
        path,
        message: isDir ? 'names both a directory and a column' : 'names neither a directory nor a column',
        fix: 'write `directory: <folder>` or `column: schema.table.column` with `base_dir: <folder>`',
      },
    ];
  }
  const only = (keys: string[], kind: string) =>
    keys
      .filter((k) => s[k] !== undefined)
      .forEach((k) =>
        problems.push({
          path: [...path, k],
          message: `${k} applies to ${kind} sources only`,
          fix: `remove ${k}`,
          onKey: true,
        }),
      );
  if (isDir) only(['base_dir', 'under', 'strip_components', 'rewrite'], 'column');
  else {
    only(['prefix'], 'directory');
    if (s.base_dir === undefined)
      problems.push({
        path,
        message: 'a column source needs base_dir',
        fix: 'add `base_dir: <folder the column paths are relative to>`',
      });
  }
  for (const key of ['directory', 'base_dir', 'under']) {
    const v = s[key];
    if (typeof v === 'string' && isAbsolute(v)) {
      problems.push({
        path: [...path, key],
        message: `"${v}" is an absolute path`,
        fix: 'write it relative to migration.yaml, so the plan is the same on every machine',
      });
    }
  }
  return problems;
}
