import { posix } from 'path';
import type { KeyPath, SpecProblem } from '../yaml/problem';

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every spec key that names a file or folder, with its value (relative to the spec's folder). */
function pathFields(raw: Plain): Array<{ path: KeyPath; value: unknown }> {
  const at = (section: string, keys: string[]) => {
    const s = raw[section];
    return isPlain(s) ? keys.map((k) => ({ path: [section, k], value: s[k] })) : [];
  };
  const fields: Array<{ path: KeyPath; value: unknown }> = [
    ...at('output', ['supabase_dir', 'state_dir']),
    ...at('functions', ['openapi']),
    ...at('types', ['output', 'validation_output']),
  ];
  const buckets = isPlain(raw.storage) && Array.isArray(raw.storage.buckets) ? raw.storage.buckets : [];
  buckets.forEach((bucket: unknown, i) => {
    const sources = isPlain(bucket) && Array.isArray(bucket.sources) ? bucket.sources : [];
    sources.forEach((source: unknown, j) => {
      if (!isPlain(source)) return;
      for (const key of ['directory', 'base_dir'])
        fields.push({ path: ['storage', 'buckets', i, 'sources', j, key], value: source[key] });
    });
  });
  return fields;
}

/**
 * Paths stay inside the spec's folder: a plan reads and writes only the repository, and a
 * reviewed spec cannot make apply read `../../.ssh` or write over files elsewhere.
 */
export function pathProblems(raw: unknown): SpecProblem[] {
  if (!isPlain(raw)) return [];
  return pathFields(raw)
    .filter((f): f is { path: KeyPath; value: string } => typeof f.value === 'string' && escapes(f.value))
    .map((f) => ({
      path: f.path,
      message: `"${f.value}" leads outside the folder of the spec`,
      fix:
        'write a path inside the repository, relative to migration.yaml, without ../ (move the files into the ' +
        'repository if they live elsewhere)',
    }));
}

function escapes(value: string): boolean {
  const normal = posix.normalize(value.replace(/\\/g, '/'));
  return normal === '..' || normal.startsWith('../');
}
