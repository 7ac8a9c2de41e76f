import { posix } from 'node:path';
import { UserError } from '../../errors';
import type { BucketSpec, StorageSource } from '../../spec/types';
import { isValidObjectKey, objectKeyFor, uniqueKeys } from './keys';
import { contentTypeFor, mimeAllowed } from './mime';
import { sourceRoot } from './inventory';
import type { InventoryFile, ManifestObject, StorageInventory } from './types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Candidate extends ManifestObject {
  original: string;
}

/** The bucket's objects: every source file, keyed, typed, limit-checked and made unique. */
export function bucketObjects(
  bucket: BucketSpec,
  inventory: StorageInventory,
  renameSchemas: Readonly<Record<string, string>>,
): ManifestObject[] {
  const ownerFromFolder = bucket.access.some((a) => a.kind === 'owner_folder');
  const candidates = bucket.sources.flatMap((source) => {
    const root = sourceRoot(source);
    const files = inventory[root];
    if (!files) throw new Error(`internal: no inventory of ${root}`);
    return files.map((f) => candidate(bucket, source, root, f, renameSchemas));
  });
  return uniqueKeys(candidates).map(({ original: _original, ...o }) => ({
    ...o,
    owner: ownerFromFolder ? ownerOf(o.key) : null,
  }));
}

function candidate(
  bucket: BucketSpec,
  source: StorageSource,
  root: string,
  file: InventoryFile,
  renameSchemas: Readonly<Record<string, string>>,
): Candidate {
  // What a column holds: the path relative to base_dir; for a directory, the path inside it.
  const named = source.kind === 'column' && source.under ? posix.join(source.under, file.path) : file.path;
  const kept = source.kind === 'column' ? named.split('/').slice(source.stripComponents).join('/') : named;
  if (kept === '') {
    throw new UserError(
      `storage bucket ${bucket.name}: strip_components ${source.kind === 'column' ? source.stripComponents : 0} leaves nothing of ${named}`,
      'lower strip_components below the depth of the files',
    );
  }
  const original = source.kind === 'directory' ? `${source.prefix}${kept}` : kept;
  const key = objectKeyFor(original);
  if (!isValidObjectKey(key)) throw new Error(`internal: mapped key ${key} is not valid`);
  const contentType = contentTypeFor(file.path);
  const refused = file.unreadable
    ? `unreadable at plan time: ${file.unreadable}`
    : bucket.fileSizeLimit !== null && file.size > bucket.fileSizeLimit
      ? `${file.size} bytes is over the bucket's file_size_limit of ${bucket.fileSizeLimit}`
      : !mimeAllowed(bucket.allowedMimeTypes, contentType)
        ? `${contentType} is not in the bucket's allowed_mime_types`
        : null;
  const rewrite =
    source.kind === 'column' && source.rewrite
      ? {
          schema: renameSchemas[source.schema] ?? source.schema,
          table: source.table,
          column: source.column,
          from: named,
        }
      : null;
  return {
    key,
    original,
    contentType,
    refused,
    rewrite,
    owner: null,
    size: file.size,
    sha256: file.sha256,
    md5: file.md5,
    originalName: named.normalize('NFC'),
    source: posix.join(root, file.path),
  };
}

/** The owner_folder pattern reads the first folder as the user's id; only a uuid there names an owner. */
function ownerOf(key: string): string | null {
  const first = key.split('/')[0];
  return key.includes('/') && UUID.test(first) ? first.toLowerCase() : null;
}
