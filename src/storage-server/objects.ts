import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { errors } from './errors';
import type { Caller, RowStore } from './store';

export interface StandinContext {
  root: string;
  store: RowStore;
  onStored?: (bucket: string, key: string) => void;
}

export const fileOf = (ctx: StandinContext, bucket: string, key: string): string =>
  join(
    ctx.root,
    bucket.replace(/[^A-Za-z0-9_-]/g, '_'),
    createHash('sha256').update(`${bucket}\0${key}`).digest('hex'),
  );

/** Who the real server records as owner: the JWT's sub; nobody for the service key. */
export const ownerOf = (caller: Caller): string | null =>
  caller.role === 'authenticated' && typeof caller.claims.sub === 'string' ? caller.claims.sub : null;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ReceivedObject {
  bucketId: string;
  key: string;
  /** Where the bytes wait until the row commits. */
  tmp: string;
  size: number;
  md5: string;
  contentType: string;
  cacheControl: string;
  userMetadata: Record<string, unknown> | null;
  upsert: boolean;
  isUpdate: boolean;
}

const pgCode = (err: unknown): string | undefined => (err as { code?: string }).code;

/**
 * Writes the object's row as the caller (RLS decides) and moves its bytes in place, as both the
 * REST upload and the end of a resumable one do. Like the real server it fills `owner` (a uuid,
 * deprecated) and `owner_id` (text) from the caller's sub.
 */
export async function commitObject(ctx: StandinContext, caller: Caller, o: ReceivedObject): Promise<string> {
  const ownerId = ownerOf(caller);
  const owner = ownerId !== null && UUID.test(ownerId) ? ownerId : null;
  const metadata = {
    eTag: `"${o.md5}"`,
    size: o.size,
    mimetype: o.contentType,
    cacheControl: o.cacheControl,
    lastModified: new Date().toISOString(),
    contentLength: o.size,
    httpStatusCode: 200,
  };
  const values = [
    o.bucketId,
    o.key,
    owner,
    ownerId,
    JSON.stringify(metadata),
    o.userMetadata === null ? null : JSON.stringify(o.userMetadata),
  ];
  const sql = o.isUpdate
    ? `update storage.objects set owner = $3::uuid, owner_id = $4, metadata = $5::jsonb, user_metadata = $6::jsonb, updated_at = now()
       where bucket_id = $1 and name = $2 returning id`
    : `insert into storage.objects (bucket_id, name, owner, owner_id, metadata, user_metadata) values ($1, $2, $3::uuid, $4, $5::jsonb, $6::jsonb)
       ${
         o.upsert
           ? `on conflict (bucket_id, name) do update set owner = excluded.owner, owner_id = excluded.owner_id,
         metadata = excluded.metadata, user_metadata = excluded.user_metadata, updated_at = now()`
           : ''
       } returning id`;
  try {
    const id = await ctx.store.asCaller(caller, async (tx) => {
      const r = await tx.query<{ id: string }>(sql, values);
      if (r.rows.length === 0) throw errors.noObject();
      const file = fileOf(ctx, o.bucketId, o.key);
      mkdirSync(join(file, '..'), { recursive: true });
      renameSync(o.tmp, file);
      return r.rows[0].id;
    });
    ctx.onStored?.(o.bucketId, o.key);
    return id;
  } catch (err) {
    rmSync(o.tmp, { force: true });
    if (pgCode(err) === '23505') throw errors.duplicate();
    if (pgCode(err) === '42501') throw errors.rls();
    throw err;
  }
}
