import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { call, encodeKey, type Answer, type Refusal, refusalOf, type StorageEndpoint } from './http';

/** Supabase sends files over 6 MB through its resumable (TUS) endpoint, in parts of exactly 6 MB. */
export const RESUMABLE_PART = 6 * 1024 * 1024;

export interface ObjectUpload {
  bucket: string;
  key: string;
  /** The file on disk. */
  file: string;
  size: number;
  contentType: string;
  cacheControlSeconds: number;
  /** User metadata (original name, sha256), as supabase-js sends it. */
  metadata: Record<string, unknown>;
}

export type UploadOutcome = { ok: true; sha256: string; storedKey: string | null } | { ok: false; refusal: Refusal };

/** Streams the file once, hashing it on the way; the answer names the key the server stored it under. */
export function sendObject(ep: StorageEndpoint, u: ObjectUpload): Promise<UploadOutcome> {
  return u.size > RESUMABLE_PART ? sendResumable(ep, u) : sendWhole(ep, u);
}

function hashedRange(file: string, sha: Hash, range?: { start: number; end: number }) {
  const stream = createReadStream(file, { highWaterMark: 256 * 1024, ...range });
  stream.on('data', (chunk) => sha.update(chunk as Buffer));
  return stream;
}

async function sendWhole(ep: StorageEndpoint, u: ObjectUpload): Promise<UploadOutcome> {
  const sha = createHash('sha256');
  const a = await call(
    ep,
    'POST',
    `/object/${encodeURIComponent(u.bucket)}/${encodeKey(u.key)}`,
    {
      'content-type': u.contentType,
      'content-length': String(u.size),
      'cache-control': `max-age=${u.cacheControlSeconds}`,
      // The key was checked free (or ours) before the upload, so a retry may overwrite a half-finished attempt.
      'x-upsert': 'true',
      'x-metadata': Buffer.from(JSON.stringify(u.metadata)).toString('base64'),
    },
    hashedRange(u.file, sha),
  );
  if (a.status >= 300) return { ok: false, refusal: refusalOf(a) };
  return { ok: true, sha256: sha.digest('hex'), storedKey: storedKeyOf(a, u.bucket) };
}

/** The answer's `Key` is `<bucket>/<key>`, as the server parsed the path. */
function storedKeyOf(a: Answer, bucket: string): string | null {
  try {
    const key = (JSON.parse(a.body.toString('utf8')) as { Key?: unknown }).Key;
    if (typeof key !== 'string') return null;
    return key.startsWith(`${bucket}/`) ? key.slice(bucket.length + 1) : key;
  } catch {
    return null;
  }
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/**
 * TUS 1.0.0 as Supabase serves it at /upload/resumable: a POST names the object in
 * Upload-Metadata, then PATCHes send 6 MB parts in order, each read from disk as it goes (the file
 * is never held in memory). The answer carries no key; the object row is checked afterwards.
 */
async function sendResumable(ep: StorageEndpoint, u: ObjectUpload): Promise<UploadOutcome> {
  const metadata = [
    ['bucketName', u.bucket],
    ['objectName', u.key],
    ['contentType', u.contentType],
    ['cacheControl', String(u.cacheControlSeconds)],
    ['metadata', JSON.stringify(u.metadata)],
  ]
    .map(([k, v]) => `${k} ${b64(v)}`)
    .join(',');
  const created = await call(ep, 'POST', '/upload/resumable', {
    'tus-resumable': '1.0.0',
    'upload-length': String(u.size),
    'upload-metadata': metadata,
    'x-upsert': 'true',
    'content-length': '0',
  });
  const location = created.headers.location;
  if (created.status !== 201 || !location) return { ok: false, refusal: tusRefusal(created) };
  const url = new URL(location, ep.base).toString();
  const sha = createHash('sha256');
  for (let offset = 0; offset < u.size; ) {
    const end = Math.min(u.size, offset + RESUMABLE_PART);
    const a = await call(
      ep,
      'PATCH',
      url,
      {
        'tus-resumable': '1.0.0',
        'upload-offset': String(offset),
        'content-type': 'application/offset+octet-stream',
        'content-length': String(end - offset),
      },
      hashedRange(u.file, sha, { start: offset, end: end - 1 }),
    );
    if (a.status !== 204) return { ok: false, refusal: tusRefusal(a) };
    const next = Number(a.headers['upload-offset']);
    if (next !== end)
      return {
        ok: false,
        refusal: { statusCode: '500', message: `the server is at offset ${next} after a part ending at ${end}` },
      };
    offset = next;
  }
  return { ok: true, sha256: sha.digest('hex'), storedKey: null };
}

/** TUS answers carry the real status and a text body (or the server's JSON error). */
function tusRefusal(a: Answer): Refusal {
  const r = refusalOf(a);
  return {
    statusCode: r.statusCode === '' ? String(a.status) : r.statusCode,
    message: r.message.trim() || `HTTP ${a.status}`,
  };
}
