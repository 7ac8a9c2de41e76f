import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../db';
import { UserError } from '../../errors';
import type { StorageManifest, TransferSpec } from '../../plan/storage';
import type { Spec } from '../../spec/types';
import { type StorageApi, storageApi } from './client';
import { ownedKeys } from './checkpoints';
import { type StorageEvent, transferBucket, type TransferResult } from './transfer';

export { storageApi, type StorageApi } from './client';
export { transferBucket, type StorageEvent, type TransferResult } from './transfer';
export { readStorageInventory, hashFile, walkFiles } from './inventory';

/** The Storage API of the spec's project: target.supabase_url and target.service_role_key (or their env variables). */
export function specStorageApi(spec: Spec): StorageApi {
  const { supabaseUrl, serviceRoleKey } = spec.target;
  if (!supabaseUrl || !serviceRoleKey) {
    throw new UserError(
      'moving files to Supabase Storage needs the project URL and its service role key',
      'export SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY (or set target.supabase_url and target.service_role_key in migration.yaml)',
    );
  }
  return storageApi(supabaseUrl, serviceRoleKey);
}

/** Reads a transfer's manifest and checks it is the one the plan pinned. */
export function loadManifest(dir: string, t: TransferSpec): StorageManifest {
  const path = join(dir, t.manifest);
  if (!existsSync(path)) throw new UserError(`${t.manifest} is missing but the plan moves bucket ${t.bucket} with it`, 'run `supamigrate plan` again');
  const text = readFileSync(path, 'utf8');
  if (createHash('sha256').update(text).digest('hex') !== t.manifestSha256) {
    throw new UserError(`${t.manifest} was edited after \`supamigrate plan\` wrote it`, 'change migration.yaml or the files instead and run `supamigrate plan`');
  }
  return JSON.parse(text) as StorageManifest;
}

export interface StorageRunnerOptions {
  spec: Spec;
  db: Db;
  api?: StorageApi;
  onEvent?: (e: StorageEvent) => void;
  onBucket?: (r: TransferResult) => void;
}

/** The executor's runner for `storage` steps: one bucket after another; the step fails when any object failed. */
export function storageRunner(o: StorageRunnerOptions) {
  return async (steps: { id: string; sql: string }[]): Promise<Map<string, string | null>> => {
    const api = o.api ?? specStorageApi(o.spec);
    const outcome = new Map<string, string | null>();
    for (const s of steps) {
      const t = JSON.parse(s.sql) as TransferSpec;
      const r = await transferBucket({
        db: o.db, api, dir: o.spec.dir, manifest: loadManifest(o.spec.dir, t),
        parallel: o.spec.storage.parallel ?? 4, retries: o.spec.storage.retries ?? 5, onEvent: o.onEvent,
      });
      o.onBucket?.(r);
      outcome.set(s.id, r.ok ? null : `${r.failed.length} object(s) failed, first ${r.failed[0].source} -> ${r.failed[0].key}: ${r.failed[0].error}`);
    }
    return outcome;
  };
}

/**
 * Rollback's half that SQL cannot do: remove, through the Storage API, the objects this engine
 * uploaded for a transfer step (never those that were there before). The step's SQL down then
 * puts rewritten references back and forgets the checkpoints.
 */
export function storageUndo(o: { spec: Spec; api?: StorageApi }) {
  return async (db: Db, c: { kind: string; stepId: string }): Promise<void> => {
    if (c.kind !== 'storage') return;
    const bucket = c.stepId.slice('storage:'.length);
    const keys = await ownedKeys(db, bucket);
    if (keys.length === 0) return;
    const api = o.api ?? specStorageApi(o.spec);
    for (let i = 0; i < keys.length; i += 1000) {
      const { error } = await api.from(bucket).remove(keys.slice(i, i + 1000));
      if (error) throw new Error(`removing objects from bucket ${bucket}: ${error.message}`);
    }
  };
}
