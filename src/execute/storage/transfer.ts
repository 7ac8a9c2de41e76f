import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../db';
import type { ManifestObject, StorageManifest } from '../../plan/storage';
import { removeObjects, type StorageEndpoint } from './http';
import { runWeighted, sizeWeight } from './pool';
import { sendObject, type UploadOutcome } from './upload';
import { ensureObjectTable, markUploading, type ObjectCheckpoint, readObjectCheckpoints } from './checkpoints';
import { finisher } from './finish';

export type StorageEvent =
  | { type: 'object-done'; bucket: string; key: string; bytes: number }
  | { type: 'object-retry'; bucket: string; key: string; attempt: number; error: string }
  | { type: 'object-failed'; bucket: string; key: string; error: string };

export interface TransferOptions {
  db: Db;
  endpoint: StorageEndpoint;
  /** The spec's folder; manifest sources are relative to it. */
  dir: string;
  manifest: StorageManifest;
  parallel: number;
  retries: number;
  retryDelayMs?: number;
  onEvent?: (e: StorageEvent) => void;
}

export interface TransferResult {
  bucket: string;
  ok: boolean;
  uploaded: number;
  bytes: number;
  /** Checkpointed by an earlier run. */
  resumed: number;
  /** Already on the target with the same content (not uploaded, not removed by rollback). */
  identical: number;
  /** Refused before upload: over the size limit or a type the bucket does not take. */
  refused: { key: string; source: string; reason: string }[];
  failed: { key: string; source: string; error: string }[];
}

interface Existing {
  size: number;
  md5: string;
}

/**
 * Moves one bucket's objects: `parallel` large uploads at a time (more when files are small), each
 * file streamed from disk once (hashed on the way, never held in memory), retried with back-off on network and 5xx
 * errors, and committed with its checkpoint and reference rewrite. Objects already checkpointed are skipped,
 * so a resumed run uploads only what is missing.
 */
export async function transferBucket(o: TransferOptions): Promise<TransferResult> {
  const { manifest, db } = o;
  const result: TransferResult = {
    bucket: manifest.bucket,
    ok: true,
    uploaded: 0,
    bytes: 0,
    resumed: 0,
    identical: 0,
    refused: [],
    failed: [],
  };
  await ensureObjectTable(db);
  const done = await readObjectCheckpoints(db, manifest.bucket);
  const existing = await existingObjects(db, manifest.bucket);
  const todo: ManifestObject[] = [];
  for (const obj of manifest.objects) {
    const cp = done.get(obj.key);
    if (obj.refused !== null) result.refused.push({ key: obj.key, source: obj.source, reason: obj.refused });
    else if (cp && cp.state !== 'uploading' && cp.sha256 === obj.sha256) result.resumed += 1;
    else todo.push(obj);
  }
  // Claimed before any upload starts, so a run killed at any point knows which objects are its own.
  await markUploading(
    db,
    manifest.bucket,
    todo.filter((obj) => uploads(obj, done.get(obj.key), existing.get(obj.key))),
  );
  // Uploads overlap; database work goes through one committer, as the apply's connection runs one transaction at a
  // time.
  const finish = finisher(db, manifest.bucket);
  // Largest first, so the last minutes are not one big file on one connection.
  const ordered = [...todo].sort((a, b) => b.size - a.size || (a.key < b.key ? -1 : 1));
  const move = (obj: ManifestObject) => moveObject(o, obj, done.get(obj.key), existing.get(obj.key), result, finish);
  await runWeighted(ordered, (obj) => sizeWeight(obj.size), Math.max(1, o.parallel), move);
  result.ok = result.failed.length === 0;
  return result;
}

async function existingObjects(db: Db, bucket: string): Promise<Map<string, Existing>> {
  const r = await db.query<{ name: string; size: string | null; etag: string | null }>(
    "select name, metadata ->> 'size' as size, metadata ->> 'eTag' as etag from storage.objects where bucket_id = $1",
    [bucket],
  );
  return new Map(
    r.rows.map((row) => [row.name, { size: Number(row.size ?? -1), md5: String(row.etag ?? '').replace(/"/g, '') }]),
  );
}

const sameContent = (obj: ManifestObject, there: Existing | undefined): boolean =>
  there !== undefined && there.size === obj.size && there.md5 === obj.md5;

/** Whether the object's bytes have to be sent: not somebody else's object, not ours already in place. */
function uploads(obj: ManifestObject, cp: ObjectCheckpoint | undefined, there: Existing | undefined): boolean {
  if (there && !cp) return false;
  return !(cp?.state === 'uploading' && sameContent(obj, there));
}

async function moveObject(
  o: TransferOptions,
  obj: ManifestObject,
  cp: ObjectCheckpoint | undefined,
  there: Existing | undefined,
  result: TransferResult,
  finish: ReturnType<typeof finisher>,
): Promise<void> {
  const bucket = o.manifest.bucket;
  const fail = (error: string) => {
    result.failed.push({ key: obj.key, source: obj.source, error });
    o.onEvent?.({ type: 'object-failed', bucket, key: obj.key, error });
  };
  try {
    if (there && !cp) {
      // Somebody else's object: reuse it when it is the same file, never overwrite it.
      if (!sameContent(obj, there))
        return fail('an object with this key is already in the bucket with other content; it was left as it is');
      await finish(obj, 'present');
      result.identical += 1;
      return;
    }
    if (uploads(obj, cp, there)) {
      const error = await uploadWithRetries(o, obj);
      if (error) return fail(error);
      result.uploaded += 1;
      result.bytes += obj.size;
    }
    // The checkpoint commits only with the object's row in storage.objects under its own key.
    if (!(await finish(obj, 'done')))
      return fail(
        `the upload was answered, but storage.objects has no ${JSON.stringify(obj.key)} of ${obj.size} bytes`,
      );
    o.onEvent?.({ type: 'object-done', bucket, key: obj.key, bytes: obj.size });
  } catch (err) {
    fail((err as Error).message ?? String(err));
  }
}

const TRANSIENT = new Set(['408', '429', '500', '502', '503', '504']);

/** null when the object is in under its key; otherwise why not. A file that changed since plan is removed again. */
async function uploadWithRetries(o: TransferOptions, obj: ManifestObject): Promise<string | null> {
  const delay = o.retryDelayMs ?? 250;
  const bucket = o.manifest.bucket;
  const file = join(o.dir, obj.source);
  for (let attempt = 0; ; attempt++) {
    const size = statSync(file, { throwIfNoEntry: false })?.size;
    if (size !== obj.size)
      return `the file ${size === undefined ? 'is gone' : `is ${size} bytes, the plan says ${obj.size}`}; run \`supamigrate plan\` again`;
    const outcome = await sendObject(o.endpoint, {
      bucket,
      key: obj.key,
      file,
      size: obj.size,
      contentType: obj.contentType,
      cacheControlSeconds: o.manifest.cacheControlSeconds,
      metadata: { originalName: obj.originalName, sha256: obj.sha256 },
    }).catch(
      (err: Error): UploadOutcome => ({ ok: false, refusal: { statusCode: '', message: err.message ?? String(err) } }),
    );
    if (outcome.ok) {
      if (outcome.storedKey !== null && outcome.storedKey !== obj.key) {
        await removeObjects(o.endpoint, bucket, [outcome.storedKey]);
        return `the server stored it as ${JSON.stringify(outcome.storedKey)} instead of ${JSON.stringify(obj.key)}; it was removed again`;
      }
      if (outcome.sha256 === obj.sha256) return null;
      await removeObjects(o.endpoint, bucket, [obj.key]);
      return `the file changed after \`supamigrate plan\` (sha256 ${outcome.sha256}, the plan says ${obj.sha256}); run plan again`;
    }
    const { statusCode, message } = outcome.refusal;
    const transient = statusCode === '' || TRANSIENT.has(statusCode);
    if (!transient || attempt >= o.retries)
      return `${statusCode ? `[${statusCode}] ` : ''}${message}${attempt > 0 ? ` (after ${attempt + 1} attempts)` : ''}`;
    o.onEvent?.({ type: 'object-retry', bucket, key: obj.key, attempt: attempt + 1, error: message });
    await new Promise((r) => setTimeout(r, delay * 2 ** attempt));
  }
}
