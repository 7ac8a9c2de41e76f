import type { Db } from '../../db';

/**
 * One row per object the transfer has touched, in the target. `uploading` is written (and
 * committed) before the bytes leave, so a run killed mid-upload knows on resume that an object it
 * finds there is its own; `done` is written in one transaction with the reference rewrite;
 * `present` marks an identical object that was there before, which rollback leaves alone.
 */
export type ObjectState = 'uploading' | 'done' | 'present';

export interface ObjectCheckpoint {
  key: string;
  sha256: string;
  state: ObjectState;
}

export async function ensureObjectTable(db: Db): Promise<void> {
  await db.exec(`create schema if not exists supamigrate;
create table if not exists supamigrate.storage_objects (
  bucket_id text not null,
  key text not null,
  sha256 text not null,
  size bigint not null,
  state text not null check (state in ('uploading', 'done', 'present')),
  rewritten boolean not null default false,
  source_value text,
  primary key (bucket_id, key)
)`);
}

export async function readObjectCheckpoints(db: Db, bucket: string): Promise<Map<string, ObjectCheckpoint>> {
  const exists = await db.query<{ t: string | null }>("select to_regclass('supamigrate.storage_objects')::text as t");
  if (!exists.rows[0]?.t) return new Map();
  const r = await db.query<ObjectCheckpoint>(
    'select key, sha256, state from supamigrate.storage_objects where bucket_id = $1 order by key',
    [bucket],
  );
  return new Map(r.rows.map((row) => [row.key, row]));
}

/** Claims the objects about to be uploaded, in one statement, before any byte leaves. */
export async function markUploading(
  db: Db,
  bucket: string,
  objects: { key: string; sha256: string; size: number }[],
): Promise<void> {
  if (objects.length === 0) return;
  await db.query(
    `insert into supamigrate.storage_objects (bucket_id, key, sha256, size, state)
     select $1, k, s, z, 'uploading' from unnest($2::text[], $3::text[], $4::bigint[]) as t(k, s, z)
     on conflict (bucket_id, key) do update set sha256 = excluded.sha256, size = excluded.size, state = 'uploading'`,
    [bucket, objects.map((o) => o.key), objects.map((o) => o.sha256), objects.map((o) => String(o.size))],
  );
}

/** Objects the engine put there (or may have, when a run died mid-upload): what rollback removes. */
export async function ownedKeys(db: Db, bucket: string): Promise<string[]> {
  const exists = await db.query<{ t: string | null }>("select to_regclass('supamigrate.storage_objects')::text as t");
  if (!exists.rows[0]?.t) return [];
  const r = await db.query<{ key: string }>(
    "select key from supamigrate.storage_objects where bucket_id = $1 and state in ('uploading', 'done') order by key",
    [bucket],
  );
  return r.rows.map((row) => row.key);
}
