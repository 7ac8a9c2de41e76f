import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Db } from '../db';

export interface UploadsSummary {
  files: number;
  bytes: number;
}

/** Deterministic bytes for a path: a xorshift stream seeded from its hash, so every run writes the same tree. */
export function fileBytes(path: string, size: number): Buffer {
  const buf = Buffer.allocUnsafe(size);
  let x = createHash('sha256').update(path).digest().readUInt32LE(0) || 1;
  let i = 0;
  for (; i + 4 <= size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    buf.writeUInt32LE(x >>> 0, i);
  }
  for (; i < size; i++) buf[i] = i & 0xff;
  return buf;
}

const KB = 1024;
const MB = 1024 * KB;

/**
 * Mostly small files; the 150th over the documents bucket's 8 MB limit; with `large`, every 97th
 * over 5 MB too (big enough that buffering them would show; the demo leaves them out to stay quick).
 */
export function exampleSize(index: number, large = true): number {
  if (index === 150) return 9 * MB;
  if (large && index % 97 === 0) return 5 * MB + 512 * KB + index * 7;
  return KB + ((index * 7919) % (48 * KB));
}

/**
 * The files behind the ToolBoxAI example's path columns, generated (never committed): one per
 * documents.file_path and per relative users.avatar_url, under `<dir>/files/`, plus an
 * installer.exe nobody references, which the documents bucket refuses by type.
 */
export async function writeExampleUploads(
  source: Db,
  dir: string,
  opts: { large?: boolean } = {},
): Promise<UploadsSummary> {
  const docs = await source.query<{ p: string }>(
    'select file_path as p from public.documents order by file_path collate "C"',
  );
  const avatars = await source.query<{ p: string }>(
    `select avatar_url as p from public.users where avatar_url like 'avatars/%' order by avatar_url collate "C"`,
  );
  const paths = [...docs.rows.map((r) => r.p), ...avatars.rows.map((r) => r.p)];
  const first = docs.rows[0]?.p;
  if (first) paths.push(`${first.slice(0, first.lastIndexOf('/'))}/installer.exe`);
  let bytes = 0;
  paths.forEach((p, i) => {
    const size = p.startsWith('avatars/') ? 2 * KB + (i % 300) * 100 : exampleSize(i, opts.large ?? true);
    const file = join(dir, 'files', p);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, fileBytes(p, size));
    bytes += size;
  });
  return { files: paths.length, bytes };
}
