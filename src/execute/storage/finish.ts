import type { Db } from '../../db';
import type { ManifestObject } from '../../plan/storage';
import { ident, qname } from '../../sql';

/**
 * Commits one object: its checkpoint, its owner and original name on storage.objects, and the
 * row references that now point at its key, all in one transaction. Triggers stay quiet during
 * the rewrite, as during the data load: the row is being moved, not edited.
 */
export async function finishObject(db: Db, bucket: string, o: ManifestObject, state: 'done' | 'present'): Promise<void> {
  await db.transaction((tx) => finishInTransaction(tx, bucket, o, state));
}

export async function finishInTransaction(tx: Db, bucket: string, o: ManifestObject, state: 'done' | 'present'): Promise<void> {
  {
    await tx.query(
      `insert into supamigrate.storage_objects (bucket_id, key, sha256, size, state, rewritten, source_value) values ($1, $2, $3, $4, $5, $6, $7)
       on conflict (bucket_id, key) do update set sha256 = excluded.sha256, size = excluded.size, state = excluded.state,
         rewritten = excluded.rewritten, source_value = excluded.source_value`,
      [bucket, o.key, o.sha256, String(o.size), state, o.rewrite !== null, o.rewrite?.from ?? null],
    );
    if (state === 'done' && o.owner !== null) {
      await tx.query('update storage.objects set owner_id = $3 where bucket_id = $1 and name = $2', [bucket, o.key, o.owner]);
    }
    if (o.rewrite) {
      await tx.exec('set local session_replication_role = replica');
      const { schema, table, column, from } = o.rewrite;
      await tx.query(`update ${qname(schema, table)} set ${ident(column)} = $1 where ${ident(column)} = $2`, [o.key, from]);
    }
  }
}

/**
 * Objects that finish while a commit is running wait and go into the next one together: each
 * object's checkpoint and rewrite still share a transaction, but a busy transfer pays one commit
 * per batch instead of one per file.
 */
export function finisher(db: Db, bucket: string) {
  type Waiting = { o: ManifestObject; state: 'done' | 'present'; resolve: () => void; reject: (e: unknown) => void };
  let waiting: Waiting[] = [];
  let running: Promise<void> | null = null;
  const flush = async () => {
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      try {
        await db.transaction(async (tx) => {
          for (const w of batch) await finishInTransaction(tx, bucket, w.o, w.state);
        });
        batch.forEach((w) => w.resolve());
      } catch (err) {
        batch.forEach((w) => w.reject(err));
      }
    }
    running = null;
  };
  return (o: ManifestObject, state: 'done' | 'present'): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ o, state, resolve, reject });
      running ??= flush();
    });
}
