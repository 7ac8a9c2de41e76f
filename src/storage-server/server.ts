import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isValidObjectKey, mimeAllowed } from '../plan/storage';
import { errors, StorageHttpError } from './errors';
import { verifyJwt } from './jwt';
import { type BucketRow, type Caller, RowStore } from './store';
import { listLevel } from './list';
import { commitObject, fileOf } from './objects';
import { handleTus, TUS_PATH } from './tus';
import type { Ctx, StandinOptions } from './options';

export type { Ctx, StandinOptions } from './options';

export interface Standin {
  /** Base URL to give supabase-js as SUPABASE_URL (the server also answers under /storage/v1). */
  url: string;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, caller: Caller, parts: string[]) => Promise<void>;

/**
 * A local stand-in for Supabase Storage: the REST routes supabase-js uses, the key rule, bucket
 * size and type limits, upsert, and errors shaped as the real server sends them. Bytes are kept
 * on disk; rows in the target's storage schema, written as the caller so RLS decides access.
 * Production uses Supabase's own storage service; this exists so that tests and the demo can run
 * with nothing installed.
 */
export async function startStandin(opts: StandinOptions): Promise<Standin> {
  const store = new RowStore(opts.db);
  const ctx: Ctx = { opts, store, root: opts.root, onStored: opts.onStored };
  mkdirSync(join(opts.root, '.tmp'), { recursive: true });
  const server = createServer((req, res) => {
    handle(ctx, req, res).catch((err) => send(res, err instanceof StorageHttpError ? err : internal(err)));
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => closeServer(server) };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function handle(ctx: Ctx, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://standin');
  // As any HTTP server: `?` starts the query, and the path is percent-decoded after it is split.
  const path = url.pathname.replace(/^\/storage\/v1(?=\/)/, '');
  const parts = path
    .split('/')
    .filter((p) => p !== '')
    .map(decodeSegment);
  const method = req.method ?? 'GET';
  const route = routeFor(method, parts);
  if (!route) throw errors.notFound();
  const caller = route.open ? { role: 'anon' as const, claims: {} } : authenticate(ctx, req);
  await route.handler(req, res, caller, route.rest);
  function routeFor(m: string, p: string[]): { handler: Handler; rest: string[]; open?: boolean } | null {
    const [head, second] = p;
    if (head === 'bucket') {
      if (m === 'POST' && p.length === 1) return { handler: (q, s, c) => createBucket(ctx, q, s, c), rest: [] };
      if (m === 'GET' && p.length === 1) return { handler: (_q, s, c) => listBuckets(ctx, s, c), rest: [] };
      if (m === 'GET' && p.length === 2)
        return { handler: (_q, s, c, r) => getBucket(ctx, s, c, r[0]), rest: [second] };
      if (m === 'DELETE' && p.length === 2)
        return { handler: (_q, s, c, r) => deleteBucket(ctx, s, c, r[0]), rest: [second] };
      return null;
    }
    if (head === 'upload' && second === 'resumable') {
      const base = `http://${req.headers.host ?? 'localhost'}${url.pathname.startsWith('/storage/v1/') ? '/storage/v1' : ''}${TUS_PATH}`;
      return {
        handler: (q, s, c, r) => handleTus(ctx, q, s, c, r[0] ?? null, base),
        rest: p.slice(2),
        open: m === 'OPTIONS',
      };
    }
    if (head !== 'object') return null;
    if (second === 'list' && m === 'POST')
      return { handler: (q, s, c, r) => listObjects(ctx, q, s, c, r[0]), rest: p.slice(2) };
    if (second === 'public' && (m === 'GET' || m === 'HEAD'))
      return { handler: (q, s, _c, r) => download(ctx, q, s, null, r), rest: p.slice(2), open: true };
    if (second === 'authenticated' && (m === 'GET' || m === 'HEAD'))
      return { handler: (q, s, c, r) => download(ctx, q, s, c, r), rest: p.slice(2) };
    if (second === 'info')
      return { handler: (_q, s, c, r) => info(ctx, s, c, r[0] === 'authenticated' ? r.slice(1) : r), rest: p.slice(2) };
    if (m === 'POST' || m === 'PUT')
      return { handler: (q, s, c, r) => upload(ctx, q, s, c, r, m === 'PUT'), rest: p.slice(1) };
    if (m === 'GET' || m === 'HEAD') return { handler: (q, s, c, r) => download(ctx, q, s, c, r), rest: p.slice(1) };
    if (m === 'DELETE' && p.length === 2)
      return { handler: (q, s, c, r) => remove(ctx, q, s, c, r[0]), rest: [second] };
    return null;
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw errors.invalid(`the path segment ${segment} is not valid percent-encoding`);
  }
}

/** The caller from the Authorization bearer token (or apikey header): an HS256 JWT with a role claim. */
function authenticate(ctx: Ctx, req: IncomingMessage): Caller {
  const header = req.headers.authorization ?? '';
  const token = header.startsWith('Bearer ') ? header.slice(7) : String(req.headers.apikey ?? '');
  if (!token) throw errors.unauthorized("headers must have required property 'authorization'");
  const claims = verifyJwt(token, ctx.opts.jwtSecret);
  if (!claims) throw errors.unauthorized('invalid signature');
  const role = claims.role;
  if (role !== 'anon' && role !== 'authenticated' && role !== 'service_role')
    throw errors.unauthorized(`role ${String(role)} is not an API role`);
  return { role, claims };
}

function send(res: ServerResponse, err: StorageHttpError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // The real server answers 400 with the status in the body; 5xx stay 5xx.
  res.writeHead(err.statusCode.startsWith('5') ? Number(err.statusCode) : 400, { 'content-type': 'application/json' });
  res.end(err.body());
}

function internal(err: unknown): StorageHttpError {
  return new StorageHttpError('500', 'Internal Server Error', 'InternalError', (err as Error).message ?? String(err));
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

/** A request's JSON body; its values are checked (or coerced) where they are read. */
interface JsonBody {
  sortBy?: { order?: unknown };
  [key: string]: unknown;
}

async function readJson(req: IncomingMessage): Promise<JsonBody> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text ? (JSON.parse(text) as JsonBody) : {};
  } catch {
    throw errors.invalid('body is not valid JSON');
  }
}

const pgCode = (err: unknown): string | undefined => (err as { code?: string }).code;

async function createBucket(ctx: Ctx, req: IncomingMessage, res: ServerResponse, caller: Caller): Promise<void> {
  const b = await readJson(req);
  const id = String(b.id ?? b.name ?? '');
  if (!/^[A-Za-z0-9_!.*'() &$@=;:+,?-]{1,100}$/.test(id))
    throw new StorageHttpError('400', 'Invalid Input', 'InvalidBucketName', `Bucket name invalid: ${id}`);
  try {
    await ctx.store.asCaller(caller, (tx) =>
      tx.query(
        'insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types) values ($1, $2, $3, ' +
          '$4, $5)',
        [id, String(b.name ?? id), b.public === true, b.file_size_limit ?? null, b.allowed_mime_types ?? null],
      ),
    );
  } catch (err) {
    if (pgCode(err) === '23505') throw errors.bucketExists();
    if (pgCode(err) === '42501') throw errors.rls();
    throw err;
  }
  json(res, 200, { name: id });
}

async function listBuckets(ctx: Ctx, res: ServerResponse, caller: Caller): Promise<void> {
  const rows = await ctx.store.asCaller(caller, (tx) => tx.query('select * from storage.buckets order by id'));
  json(res, 200, rows.rows);
}

async function getBucket(ctx: Ctx, res: ServerResponse, caller: Caller, id: string): Promise<void> {
  const rows = await ctx.store.asCaller(caller, (tx) => tx.query('select * from storage.buckets where id = $1', [id]));
  if (rows.rows.length === 0) throw errors.noBucket();
  json(res, 200, rows.rows[0]);
}

async function deleteBucket(ctx: Ctx, res: ServerResponse, caller: Caller, id: string): Promise<void> {
  await ctx.store.asCaller(caller, async (tx) => {
    const objects = await tx.query('select 1 from storage.objects where bucket_id = $1 limit 1', [id]);
    if (objects.rows.length > 0) throw errors.bucketNotEmpty();
    const r = await tx.query('delete from storage.buckets where id = $1', [id]);
    if (r.affectedRows === 0) throw errors.noBucket();
  });
  json(res, 200, { message: 'Successfully deleted' });
}

/** Bytes go to a temp file first, hashed and counted on the way; the limit is enforced while streaming. */
async function receive(
  ctx: Ctx,
  req: IncomingMessage,
  limit: number | null,
): Promise<{ tmp: string; size: number; md5: string }> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (limit !== null && Number.isFinite(declared) && declared > limit) throw errors.tooLarge();
  const tmp = join(ctx.opts.root, '.tmp', randomUUID());
  const md5 = createHash('md5');
  let size = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (limit !== null && size > limit) return done(errors.tooLarge());
      md5.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(req, count, createWriteStream(tmp));
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err instanceof StorageHttpError ? err : errors.invalid(`upload interrupted: ${(err as Error).message}`);
  }
  return { tmp, size, md5: md5.digest('hex') };
}

async function requireBucket(ctx: Ctx, id: string): Promise<BucketRow> {
  const bucket = await ctx.store.bucket(id);
  if (!bucket) throw errors.noBucket();
  return bucket;
}

async function upload(
  ctx: Ctx,
  req: IncomingMessage,
  res: ServerResponse,
  caller: Caller,
  parts: string[],
  isUpdate: boolean,
): Promise<void> {
  const [bucketId, ...rest] = parts;
  const key = rest.join('/');
  if (!bucketId || !isValidObjectKey(key)) throw errors.invalidKey(key);
  const type = String(req.headers['content-type'] ?? 'application/octet-stream')
    .split(';')[0]
    .trim();
  if (type.startsWith('multipart/form-data'))
    throw errors.invalid('the stand-in takes the file as the request body, not multipart form data');
  const bucket = await requireBucket(ctx, bucketId);
  if (!mimeAllowed(bucket.allowed_mime_types, type)) throw errors.mime(type);
  const fault = ctx.opts.fault?.({ method: req.method ?? 'POST', bucket: bucketId, key });
  if (fault) throw fault;
  const received = await receive(ctx, req, bucket.file_size_limit === null ? null : Number(bucket.file_size_limit));
  const id = await commitObject(ctx, caller, {
    bucketId,
    key,
    ...received,
    contentType: type,
    cacheControl: String(req.headers['cache-control'] ?? 'max-age=3600'),
    userMetadata: decodeMetadata(req.headers['x-metadata']),
    upsert: isUpdate || String(req.headers['x-upsert']) === 'true',
    isUpdate,
  });
  json(res, 200, { Id: id, Key: `${bucketId}/${key}` });
}

function decodeMetadata(header: string | string[] | undefined): Record<string, unknown> | null {
  if (typeof header !== 'string' || header === '') return null;
  try {
    return JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw errors.invalid('x-metadata is not base64-encoded JSON');
  }
}

async function findObject(ctx: Ctx, caller: Caller | null, bucketId: string, key: string) {
  if (caller === null) {
    const bucket = await requireBucket(ctx, bucketId);
    if (!bucket.public) throw errors.noBucket();
  }
  const who: Caller = caller ?? { role: 'service_role', claims: {} };
  const r = await ctx.store.asCaller(who, (tx) =>
    tx.query<{
      id: string;
      name: string;
      metadata: Record<string, unknown> | null;
      user_metadata: unknown;
      created_at: string;
      updated_at: string;
    }>(
      'select id, name, metadata, user_metadata, created_at::text, updated_at::text from storage.objects where ' +
        'bucket_id = $1 and name = $2',
      [bucketId, key],
    ),
  );
  if (r.rows.length === 0) throw errors.noObject();
  return r.rows[0];
}

async function download(
  ctx: Ctx,
  req: IncomingMessage,
  res: ServerResponse,
  caller: Caller | null,
  parts: string[],
): Promise<void> {
  const [bucketId, ...rest] = parts;
  const key = rest.join('/');
  const row = await findObject(ctx, caller, bucketId, key);
  const meta = row.metadata ?? {};
  res.writeHead(200, {
    'content-type': String(meta.mimetype ?? 'application/octet-stream'),
    'content-length': String(meta.size ?? 0),
    etag: String(meta.eTag ?? ''),
    'cache-control': String(meta.cacheControl ?? 'no-cache'),
  });
  if (req.method === 'HEAD') return void res.end();
  await pipeline(createReadStream(fileOf(ctx, bucketId, key)), res);
}

async function info(ctx: Ctx, res: ServerResponse, caller: Caller, parts: string[]): Promise<void> {
  const [bucketId, ...rest] = parts;
  const row = await findObject(ctx, caller, bucketId, rest.join('/'));
  const meta = row.metadata ?? {};
  json(res, 200, {
    id: row.id,
    name: row.name,
    bucket_id: bucketId,
    version: null,
    size: meta.size ?? null,
    content_type: meta.mimetype ?? null,
    cache_control: meta.cacheControl ?? null,
    etag: meta.eTag ?? null,
    metadata: row.user_metadata ?? null,
    created_at: row.created_at,
    last_modified: row.updated_at,
  });
}

async function listObjects(
  ctx: Ctx,
  req: IncomingMessage,
  res: ServerResponse,
  caller: Caller,
  bucketId: string,
): Promise<void> {
  const b = await readJson(req);
  await requireBucket(ctx, bucketId);
  const prefix = String(b.prefix ?? '').replace(/^\/+/, '');
  const rows = await ctx.store.asCaller(caller, (tx) =>
    tx.query<{ id: string; name: string; metadata: unknown; created_at: string; updated_at: string }>(
      'select id, name, metadata, created_at::text, updated_at::text from storage.objects where bucket_id = $1 ' +
        'and left(name, length($2)) = $2 order by name collate "C"',
      [bucketId, prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`],
    ),
  );
  json(
    res,
    200,
    listLevel(rows.rows, prefix, {
      limit: Number(b.limit ?? 100),
      offset: Number(b.offset ?? 0),
      search: String(b.search ?? ''),
      order: b.sortBy?.order === 'desc' ? 'desc' : 'asc',
    }),
  );
}

async function remove(
  ctx: Ctx,
  req: IncomingMessage,
  res: ServerResponse,
  caller: Caller,
  bucketId: string,
): Promise<void> {
  const b = await readJson(req);
  const prefixes = Array.isArray(b.prefixes) ? (b.prefixes as unknown[]).map(String) : [];
  if (prefixes.length === 0 || prefixes.length > 1000)
    throw errors.invalid('prefixes must list 1 to 1000 object names');
  const deleted = await ctx.store.asCaller(caller, (tx) =>
    tx.query<{ id: string; name: string; bucket_id: string; metadata: unknown }>(
      'delete from storage.objects where bucket_id = $1 and name = any($2::text[]) returning id, name, ' +
        'bucket_id, metadata',
      [bucketId, prefixes],
    ),
  );
  for (const row of deleted.rows) rmSync(fileOf(ctx, bucketId, row.name), { force: true });
  json(res, 200, deleted.rows);
}
