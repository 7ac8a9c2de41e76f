import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../db';
import { UserError } from '../../errors';
import type { StorageManifest, TransferSpec } from '../../plan/storage';
import type { Spec } from '../../spec/types';
import type { ExecutableStep } from '../executable';
import { type StorageApi, storageApi } from './client';
import { ownedKeys } from './checkpoints';
import { removeObjects, type StorageEndpoint, storageEndpoint } from './http';
import { type StorageEvent, transferBucket, type TransferResult } from './transfer';
import { undoUnfinishedTransfers } from './unfinished';

export { storageApi, type StorageApi } from './client';
export { storageEndpoint, type StorageEndpoint } from './http';
export { transferBucket, type StorageEvent, type TransferResult } from './transfer';
export { undoUnfinishedTransfers } from './unfinished';
export { leftOutLines, storageFilesSummary, transferLines, type StorageFilesSummary } from './report';

/** Rollback's first move: undo a transfer step that failed part-way (it has no checkpoint). */
export function unfinishedTransferUndo(o: { spec: Spec; endpoint?: StorageEndpoint; steps: () => ExecutableStep[] }) {
  return (db: Db): Promise<string[]> =>
    undoUnfinishedTransfers(db, o.steps, (bucket, keys) =>
      removeObjects(o.endpoint ?? specStorageEndpoint(o.spec), bucket, keys),
    );
}
export { readStorageInventory, hashFile, walkFiles } from './inventory';

/** The Storage API of the spec's project: target.supabase_url and target.service_role_key (or their env variables). */
export function specStorageApi(spec: Spec): StorageApi {
  const { supabaseUrl, serviceRoleKey } = specStorageTarget(spec);
  return storageApi(supabaseUrl, serviceRoleKey);
}

/** The same project as the transfer reaches it: its own HTTP client with kept-alive connections. */
export function specStorageEndpoint(spec: Spec): StorageEndpoint {
  const { supabaseUrl, serviceRoleKey } = specStorageTarget(spec);
  return storageEndpoint(supabaseUrl, serviceRoleKey);
}

function specStorageTarget(spec: Spec): { supabaseUrl: string; serviceRoleKey: string } {
  const { supabaseUrl, serviceRoleKey } = spec.target;
  if (!supabaseUrl || !serviceRoleKey) {
    throw new UserError(
      'moving files to Supabase Storage needs the project URL and its service role key',
      'export SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY (or set target.supabase_url and target.service_role_key ' +
        'in migration.yaml)',
    );
  }
  return { supabaseUrl, serviceRoleKey };
}

/** Reads a transfer's manifest and checks it is the one the plan pinned. */
export function loadManifest(dir: string, t: TransferSpec): StorageManifest {
  const path = join(dir, t.manifest);
  if (!existsSync(path))
    throw new UserError(
      `${t.manifest} is missing but the plan moves bucket ${t.bucket} with it`,
      'run `supamigrate plan` again',
    );
  const text = readFileSync(path, 'utf8');
  if (createHash('sha256').update(text).digest('hex') !== t.manifestSha256) {
    throw new UserError(
      `${t.manifest} was edited after \`supamigrate plan\` wrote it`,
      'change migration.yaml or the files instead and run `supamigrate plan`',
    );
  }
  return JSON.parse(text) as StorageManifest;
}

export interface StorageRunnerOptions {
  spec: Spec;
  db: Db;
  endpoint?: StorageEndpoint;
  onEvent?: (e: StorageEvent) => void;
  onBucket?: (r: TransferResult) => void;
}

/**
 * The executor's runner for `storage` steps, one bucket after another. A step fails when any of
 * its objects failed, and the buckets after it do not start: apply stops there, and rollback
 * undoes the failed step whole (see undoUnfinishedTransfers).
 */
export function storageRunner(o: StorageRunnerOptions) {
  return async (steps: ExecutableStep[]): Promise<Map<string, string | null>> => {
    const endpoint = o.endpoint ?? specStorageEndpoint(o.spec);
    const outcome = new Map<string, string | null>();
    for (const s of steps) {
      if (s.type !== 'storage-transfer') throw new Error(`internal: ${s.id} is not a storage transfer`);
      const t = s.transfer;
      const r = await transferBucket({
        db: o.db,
        endpoint,
        dir: o.spec.dir,
        manifest: loadManifest(o.spec.dir, t),
        parallel: o.spec.storage.parallel ?? 4,
        retries: o.spec.storage.retries ?? 5,
        onEvent: o.onEvent,
      });
      o.onBucket?.(r);
      outcome.set(s.id, r.ok ? null : failureText(r));
      if (!r.ok) break;
    }
    return outcome;
  };
}

function failureText(r: TransferResult): string {
  const shown = r.failed.slice(0, 5).map((f) => `${f.source} -> ${f.key}: ${f.error}`);
  const more = r.failed.length > shown.length ? `; and ${r.failed.length - shown.length} more` : '';
  return `${r.failed.length} object(s) failed: ${shown.join('; ')}${more}`;
}

/**
 * Rollback's half that SQL cannot do: remove, through the Storage API, the objects this engine
 * uploaded for a transfer step (never those that were there before). The step's SQL down then
 * puts rewritten references back and forgets the checkpoints.
 */
export function storageUndo(o: { spec: Spec; endpoint?: StorageEndpoint }) {
  return async (db: Db, c: { kind: string; stepId: string }): Promise<void> => {
    if (c.kind !== 'storage') return;
    const bucket = c.stepId.slice('storage:'.length);
    const keys = await ownedKeys(db, bucket);
    if (keys.length === 0) return;
    await removeObjects(o.endpoint ?? specStorageEndpoint(o.spec), bucket, keys);
  };
}
