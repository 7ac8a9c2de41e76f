import type { Db } from '../../db';
import type { ManifestObject } from '../../plan/storage';
import { ident, qname } from '../../sql';

/**
 * Commits one object: its checkpoint, its owner and original name on storage.objects, and the
 * row references that now point at its key, all in one transaction. Triggers stay quiet during
 * the rewrite, as during the data load: the row is being moved, not edited. Returns false, and
 * commits nothing for it, when storage.objects has no such object: an answer is not proof enough.
 */
export async function finishInTransaction(
  tx: Db,
  bucket: string,
  o: ManifestObject,
  state: 'done' | 'present',
): Promise<boolean> {
  // The real server fills both columns for a signed-in uploader: owner (uuid, deprecated) and owner_id (text).
  const found = await tx.query<{ id: string }>(
    `update storage.objects set owner = case when $4 then $3::text::uuid else owner end, owner_id = case when $4 then $3::text else owner_id end
     where bucket_id = $1 and name = $2 and (metadata ->> 'size')::bigint = $5 returning id`,
    [bucket, o.key, o.owner, state === 'done' && o.owner !== null, String(o.size)],
  );
  if (found.rows.length === 0) return false;
  await tx.query(
    `insert into supamigrate.storage_objects (bucket_id, key, sha256, size, state, rewritten, source_value) values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (bucket_id, key) do update set sha256 = excluded.sha256, size = excluded.size, state = excluded.state,
       rewritten = excluded.rewritten, source_value = excluded.source_value`,
    [bucket, o.key, o.sha256, String(o.size), state, o.rewrite !== null, o.rewrite?.from ?? null],
  );
  if (o.rewrite) {
    await tx.exec('set local session_replication_role = replica');
    const { schema, table, column, from } = o.rewrite;
    await tx.query(`update ${qname(schema, table)} set ${ident(column)} = $1 where ${ident(column)} = $2`, [
      o.key,
      from,
    ]);
  }
  return true;
}

/**
 * Objects that finish while a commit is running wait and go into the next one together: each
 * object's checkpoint and rewrite still share a transaction, but a busy transfer pays one commit
 * per batch instead of one per file.
 */
export function finisher(db: Db, bucket: string) {
  type Waiting = {
    o: ManifestObject;
    state: 'done' | 'present';
    resolve: (ok: boolean) => void;
    reject: (e: unknown) => void;
  };
  let waiting: Waiting[] = [];
  let running: Promise<void> | null = null;
  const flush = async () => {
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      try {
        const found: boolean[] = [];
        await db.transaction(async (tx) => {
          for (const w of batch) found.push(await finishInTransaction(tx, bucket, w.o, w.state));
        });
        batch.forEach((w, i) => w.resolve(found[i]));
      } catch (err) {
        batch.forEach((w) => w.reject(err));
      }
    }
    running = null;
  };
  return (o: ManifestObject, state: 'done' | 'present'): Promise<boolean> =>
    new Promise<boolean>((resolve, reject) => {
      waiting.push({ o, state, resolve, reject });
      running ??= flush();
    });
}
