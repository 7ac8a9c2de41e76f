import { posix } from 'node:path';
import type { Spec, StorageSource } from '../../spec/types';

/** The folder to walk for a source, relative to the spec, as written in the spec. */
export function sourceRoot(source: StorageSource): string {
  if (source.kind === 'directory') return posix.normalize(source.directory);
  return posix.normalize(source.under ? posix.join(source.baseDir, source.under) : source.baseDir);
}

/** Every folder the plan needs an inventory of, sorted. */
export function inventoryRoots(spec: Spec): string[] {
  const roots = new Set((spec.storage.buckets ?? []).flatMap((b) => b.sources.map(sourceRoot)));
  return [...roots].sort();
}

/** `schema.table.column` (target names) of every column a transfer rewrites to object keys. */
export function rewrittenColumns(spec: Spec): Set<string> {
  const out = new Set<string>();
  for (const b of spec.storage.buckets ?? []) {
    for (const s of b.sources) {
      if (s.kind === 'column' && s.rewrite)
        out.add(`${spec.schema.renameSchemas[s.schema] ?? s.schema}.${s.table}.${s.column}`);
    }
  }
  return out;
}
