import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors';
import { inventoryRoots, type InventoryFile, type StorageInventory } from '../../plan/storage';
import type { Spec } from '../../spec/types';

const CHUNK = 1 << 20;

/** size, sha256 and md5 of a file in one pass, reading 1 MiB at a time. */
export function hashFile(path: string): Omit<InventoryFile, 'path'> {
  const sha = createHash('sha256');
  const md5 = createHash('md5');
  const buf = Buffer.allocUnsafe(CHUNK);
  const fd = openSync(path, 'r');
  let size = 0;
  try {
    for (let n = readSync(fd, buf, 0, CHUNK, null); n > 0; n = readSync(fd, buf, 0, CHUNK, null)) {
      const part = buf.subarray(0, n);
      sha.update(part);
      md5.update(part);
      size += n;
    }
  } finally {
    closeSync(fd);
  }
  return { size, sha256: sha.digest('hex'), md5: md5.digest('hex') };
}

/** Regular files under dir, paths relative to it with forward slashes, sorted; links are not followed. */
export function walkFiles(dir: string): string[] {
  const out: string[] = [];
  const visit = (rel: string) => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile()) out.push(path);
    }
  };
  visit('');
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A file that cannot be read stays in the inventory with the reason, so plan can say it is left out. */
function readFile(dir: string, path: string): InventoryFile {
  try {
    return { path, ...hashFile(join(dir, path)) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      path,
      size: 0,
      sha256: '',
      md5: '',
      unreadable: code ? `${code} (${(err as Error).message.split(':')[0]})` : String(err),
    };
  }
}

/**
 * The plan's view of the source folders: every file with its size and checksums. This is the I/O
 * half of planning storage; the planner itself only sees the result.
 */
export function readStorageInventory(spec: Spec): StorageInventory {
  const inventory: Record<string, InventoryFile[]> = {};
  for (const root of inventoryRoots(spec)) {
    const dir = join(spec.dir, root);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new UserError(
        `storage: the folder ${root} does not exist (relative to ${spec.file})`,
        'create it, or correct storage.buckets[].sources[] (directory, base_dir, under)',
      );
    }
    inventory[root] = walkFiles(dir).map((path) => readFile(dir, path));
  }
  return inventory;
}
