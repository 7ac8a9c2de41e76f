import type { Db } from '../../db';
import { readCheckpoints } from '../checkpoints';
import type { ExecutableStep } from '../executable';
import { ownedKeys } from './checkpoints';

/**
 * A transfer step that failed has no checkpoint, yet it may have uploaded objects, rewritten
 * references and written object checkpoints. Apply stops at the failed step, so it is the newest
 * thing on the target: every rollback undoes it first, whole, with the step's own down (from the
 * plan), after removing its objects. Returns the ids of the steps undone.
 */
export async function undoUnfinishedTransfers(
  db: Db,
  plan: () => readonly ExecutableStep[],
  removeOwned: (bucket: string, keys: string[]) => Promise<void>,
): Promise<string[]> {
  const exists = await db.query<{ t: string | null }>("select to_regclass('supamigrate.storage_objects')::text as t");
  if (!exists.rows[0]?.t) return [];
  const applied = new Set((await readCheckpoints(db)).map((c) => c.stepId));
  const touched = await db.query<{ bucket_id: string }>(
    'select distinct bucket_id from supamigrate.storage_objects order by bucket_id',
  );
  const undone: string[] = [];
  const steps = touched.rows.length > 0 ? plan() : [];
  for (const { bucket_id: bucket } of touched.rows) {
    const step = steps.find((s) => s.kind === 'storage' && s.id === `storage:${bucket}`);
    if (!step || applied.has(step.id)) continue;
    const keys = await ownedKeys(db, bucket);
    if (keys.length > 0) await removeOwned(bucket, keys);
    await db.transaction((tx) => tx.exec(step.down));
    undone.push(step.id);
  }
  return undone;
}
