import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isValidObjectKey, mimeAllowed } from '../plan/storage';
import { errors, StorageHttpError } from './errors';
import { commitObject } from './objects';
import type { Ctx } from './options';
import type { Caller } from './store';

export const TUS_PATH = '/upload/resumable';

interface Upload {
  bucketId: string;
  key: string;
  length: number;
  offset: number;
  file: string;
  contentType: string;
  cacheControl: string;
  userMetadata: Record<string, unknown> | null;
  upsert: boolean;
}

// Uploads in progress, per stand-in; the real server keeps them in its store's .info files.
const uploads = new WeakMap<Ctx, Map<string, Upload>>();

const TUS_HEADERS = { 'tus-resumable': '1.0.0', 'cache-control': 'no-store' };

/**
 * TUS 1.0.0 (creation, termination) at /upload/resumable, as Supabase Storage serves it: the object
 * is named by Upload-Metadata (bucketName, objectName, contentType, cacheControl, metadata), the
 * upload URL ends in base64url(bucket/object/version), errors carry their real status and a text
 * body, and the row is written (owner and owner_id from the caller) when the last byte arrives.
 */
export async function handleTus(
  ctx: Ctx,
  req: IncomingMessage,
  res: ServerResponse,
  caller: Caller,
  id: string | null,
  base: string,
): Promise<void> {
  const table = uploads.get(ctx) ?? new Map<string, Upload>();
  uploads.set(ctx, table);
  try {
    if (req.method === 'OPTIONS')
      return answer(res, 204, { 'tus-version': '1.0.0', 'tus-extension': 'creation,termination' });
    if (req.headers['tus-resumable'] !== '1.0.0')
      throw new StorageHttpError('412', 'Precondition Failed', 'InvalidRequest', 'Unsupported version');
    if (req.method === 'POST' && id === null) return await create(ctx, req, res, table, base);
    const upload = id === null ? undefined : table.get(id);
    if (!upload || id === null)
      throw new StorageHttpError('404', 'Not Found', 'NoSuchUpload', 'The file for this url was not found');
    if (req.method === 'HEAD')
      return answer(res, 200, { 'upload-offset': String(upload.offset), 'upload-length': String(upload.length) });
    if (req.method === 'PATCH') return await patch(ctx, req, res, caller, table, id, upload);
    if (req.method === 'DELETE') {
      rmSync(upload.file, { force: true });
      table.delete(id);
      return answer(res, 204, {});
    }
    throw errors.notFound();
  } catch (err) {
    const e =
      err instanceof StorageHttpError
        ? err
        : new StorageHttpError('500', 'Internal', 'InternalError', (err as Error).message);
    if (res.headersSent) return void res.destroy();
    res.writeHead(Number(e.statusCode), { ...TUS_HEADERS, 'content-type': 'text/plain' });
    res.end(e.message);
  }
}

function answer(res: ServerResponse, status: number, headers: Record<string, string>): void {
  res.writeHead(status, { ...TUS_HEADERS, ...headers });
  res.end();
}

function parseMetadata(header: string | string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of String(header ?? '').split(',')) {
    const [k, v] = pair.trim().split(' ');
    if (k) out[k] = Buffer.from(v ?? '', 'base64').toString('utf8');
  }
  return out;
}

async function create(
  ctx: Ctx,
  req: IncomingMessage,
  res: ServerResponse,
  table: Map<string, Upload>,
  base: string,
): Promise<void> {
  const meta = parseMetadata(req.headers['upload-metadata']);
  const length = Number(req.headers['upload-length']);
  if (!Number.isSafeInteger(length) || length < 0)
    throw new StorageHttpError('400', 'Bad Request', 'InvalidRequest', 'Upload-Length is missing or invalid');
  const bucketId = meta.bucketName ?? '';
  const key = meta.objectName ?? '';
  if (!isValidObjectKey(key)) throw errors.invalidKey(key);
  const bucket = await ctx.store.bucket(bucketId);
  if (!bucket) throw errors.noBucket();
  const limit = bucket.file_size_limit === null ? null : Number(bucket.file_size_limit);
  if (limit !== null && length > limit)
    throw new StorageHttpError('413', 'Payload too large', 'EntityTooLarge', 'Maximum size exceeded');
  const contentType = meta.contentType || 'application/octet-stream';
  if (!mimeAllowed(bucket.allowed_mime_types, contentType)) throw errors.mime(contentType);
  const fault = ctx.opts.fault?.({ method: 'TUS', bucket: bucketId, key });
  if (fault) throw fault;
  let userMetadata: Record<string, unknown> | null = null;
  try {
    userMetadata = meta.metadata ? (JSON.parse(meta.metadata) as Record<string, unknown>) : null;
  } catch {
    userMetadata = null;
  }
  const id = Buffer.from(`${bucketId}/${key}/${randomUUID()}`).toString('base64url');
  const dir = join(ctx.root, '.tus');
  mkdirSync(dir, { recursive: true });
  const cacheControl = /^-?\d+$/.test(meta.cacheControl ?? '') ? `max-age=${meta.cacheControl}` : 'no-cache';
  table.set(id, {
    bucketId,
    key,
    length,
    offset: 0,
    file: join(dir, id),
    contentType,
    cacheControl,
    userMetadata,
    upsert: req.headers['x-upsert'] === 'true',
  });
  createWriteStream(join(dir, id)).end();
  answer(res, 201, { location: `${base}/${id}` });
}

async function patch(
  ctx: Ctx,
  req: IncomingMessage,
  res: ServerResponse,
  caller: Caller,
  table: Map<string, Upload>,
  id: string,
  u: Upload,
): Promise<void> {
  if (req.headers['content-type'] !== 'application/offset+octet-stream')
    throw new StorageHttpError('415', 'Unsupported Media Type', 'InvalidRequest', 'Unsupported Media Type');
  if (Number(req.headers['upload-offset']) !== u.offset)
    throw new StorageHttpError('409', 'Conflict', 'InvalidRequest', 'Upload-Offset conflict');
  let received = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      received += chunk.length;
      if (u.offset + received > u.length)
        return done(new StorageHttpError('413', 'Payload too large', 'EntityTooLarge', 'Maximum size exceeded'));
      done(null, chunk);
    },
  });
  try {
    await pipeline(req, count, createWriteStream(u.file, { flags: 'a' }));
  } finally {
    // What arrived stays, as with the real server: a client resumes from the offset HEAD reports.
    u.offset += received;
  }
  if (u.offset === u.length) {
    table.delete(id);
    const md5 = createHash('md5');
    for await (const chunk of createReadStream(u.file)) md5.update(chunk as Buffer);
    await commitObject(ctx, caller, {
      bucketId: u.bucketId,
      key: u.key,
      tmp: u.file,
      size: u.length,
      md5: md5.digest('hex'),
      contentType: u.contentType,
      cacheControl: u.cacheControl,
      userMetadata: u.userMetadata,
      upsert: u.upsert,
      isUpdate: false,
    });
  }
  answer(res, 204, { 'upload-offset': String(u.offset) });
}
