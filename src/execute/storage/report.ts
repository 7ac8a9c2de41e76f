import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { manifestPath, type StorageManifest } from '../../plan/storage';
import type { Spec } from '../../spec/types';
import type { TransferResult } from './transfer';

export type LeftOutKind = 'size' | 'type' | 'unreadable';

export interface LeftOutFile {
  bucket: string;
  source: string;
  kind: LeftOutKind;
  reason: string;
}

export interface StorageFilesSummary {
  buckets: { bucket: string; files: number; bytes: number; leftOut: number }[];
  leftOut: LeftOutFile[];
}

const kindOf = (reason: string): LeftOutKind =>
  reason.startsWith('unreadable') ? 'unreadable' : reason.includes('file_size_limit') ? 'size' : 'type';

/** What the committed manifests will move and leave out, bucket by bucket; buckets not planned yet are skipped. */
export function storageFilesSummary(spec: Spec): StorageFilesSummary {
  const out: StorageFilesSummary = { buckets: [], leftOut: [] };
  for (const b of [...(spec.storage.buckets ?? [])].sort((x, y) => (x.name < y.name ? -1 : 1))) {
    const path = join(spec.dir, manifestPath(spec.output.stateDir, b.name));
    if (!existsSync(path)) continue;
    const m = JSON.parse(readFileSync(path, 'utf8')) as StorageManifest;
    const left = m.objects.filter((o) => o.refused !== null);
    out.buckets.push({
      bucket: m.bucket,
      files: m.objects.length - left.length,
      bytes: m.objects.reduce((n, o) => n + (o.refused ? 0 : o.size), 0),
      leftOut: left.length,
    });
    out.leftOut.push(
      ...left.map((o) => ({
        bucket: m.bucket,
        source: o.source,
        kind: kindOf(o.refused as string),
        reason: o.refused as string,
      })),
    );
  }
  return out;
}

/** For `plan` and `analyze`: the counts, then every file left out with why. */
export function leftOutLines(s: StorageFilesSummary, opts: { list: boolean }): string[] {
  if (s.buckets.length === 0) return [];
  const files = s.buckets.reduce((n, b) => n + b.files, 0);
  const count = (k: LeftOutKind) => s.leftOut.filter((l) => l.kind === k).length;
  const lines = [
    `storage: ${files} file(s) to upload into ${s.buckets.length} bucket(s); ${s.leftOut.length} will not be uploaded` +
      (s.leftOut.length
        ? ` (${count('size')} over the size limit, ${count('type')} of a refused type, ${count('unreadable')} unreadable)`
        : ''),
  ];
  if (opts.list) lines.push(...s.leftOut.map((l) => `  not uploaded: ${l.bucket} ${l.source}: ${l.reason}`));
  return lines;
}

/** For `apply`: per bucket what moved, what was left out and what failed, each with its reason. */
export function transferLines(results: readonly TransferResult[]): string[] {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(
      `storage ${r.bucket}: ${r.uploaded} uploaded (${r.bytes} bytes), ${r.resumed} already done, ${r.identical} identical, ` +
        `${r.refused.length} not uploaded, ${r.failed.length} failed`,
    );
    lines.push(...r.refused.map((x) => `  not uploaded: ${x.source}: ${x.reason}`));
    lines.push(...r.failed.map((x) => `  failed: ${x.source} -> ${x.key}: ${x.error}`));
  }
  return lines;
}
