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
