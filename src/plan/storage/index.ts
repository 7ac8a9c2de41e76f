import { createHash } from 'node:crypto';
import type { Snapshot } from '../../introspect/snapshot';
import { UserError } from '../../errors';
import type { BucketSpec, Spec } from '../../spec/types';
import { literal, qname, ident } from '../../sql';
import { step } from '../schema/step';
import type { GeneratedFile, Step } from '../types';
import { bucketStep } from './buckets';
import { bucketObjects } from './objects';
import { bucketPolicySteps } from './policies';
import type { StorageInventory, StorageManifest, TransferSpec } from './types';

export type { InventoryFile, ManifestObject, StorageInventory, StorageManifest, TransferSpec } from './types';
export { inventoryRoots, rewrittenColumns, sourceRoot } from './inventory';
export { isValidObjectKey, objectKeyFor, OBJECT_KEY_CHARS } from './keys';
export { contentTypeFor, mimeAllowed } from './mime';

export interface StoragePlan {
  /** Bucket rows and storage.objects policies (security phase). */
  steps: Step[];
  /** One transfer per bucket; runs after everything else, once tables hold their rows. */
  transfers: Step[];
  /** `.supamigrate/storage/<bucket>.json`, part of the reviewed diff. */
  files: GeneratedFile[];
}

export const manifestPath = (stateDir: string, bucket: string): string => `${stateDir}/storage/${bucket}.json`;

/** Spec + the files found at plan time -> buckets, policies, manifests and transfer steps. Pure. */
export function planStorage(spec: Spec, snapshot: Snapshot, inventory: StorageInventory): StoragePlan {
  const buckets = [...(spec.storage.buckets ?? [])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const plan: StoragePlan = { steps: [], transfers: [], files: [] };
  for (const bucket of buckets) {
    checkColumns(bucket, snapshot);
    const manifest = manifestOf(bucket, inventory, spec.schema.renameSchemas);
    const content = `${JSON.stringify(manifest, null, 2)}\n`;
    const path = manifestPath(spec.output.stateDir, bucket.name);
    plan.files.push({ path, content });
    plan.steps.push(bucketStep(manifest), ...bucketPolicySteps(bucket));
    plan.transfers.push(transferStep(manifest, path, content));
  }
  return plan;
}

function manifestOf(
  bucket: BucketSpec,
  inventory: StorageInventory,
  renames: Readonly<Record<string, string>>,
): StorageManifest {
  return {
    bucket: bucket.name,
    public: bucket.public,
    fileSizeLimit: bucket.fileSizeLimit,
    allowedMimeTypes: bucket.allowedMimeTypes,
    cacheControlSeconds: bucket.cacheControlSeconds,
    objects: bucketObjects(bucket, inventory, renames),
  };
}

function transferStep(m: StorageManifest, path: string, content: string): Step {
  const rewrites = uniqueColumns(m);
  const body: TransferSpec = {
    bucket: m.bucket,
    manifest: path,
    manifestSha256: createHash('sha256').update(content).digest('hex'),
    objects: m.objects.filter((o) => o.refused === null).length,
    bytes: m.objects.filter((o) => o.refused === null).reduce((n, o) => n + o.size, 0),
    refused: m.objects.filter((o) => o.refused !== null).length,
    rewrites,
  };
  // The objects themselves are removed through the Storage API by rollback before this SQL runs;
  // the SQL puts rewritten values back and forgets the object checkpoints.
  const bucket = literal(m.bucket);
  const down = [
    ...(rewrites.length > 0 ? ['set local session_replication_role = replica;'] : []),
    ...rewrites.map((r) =>
      [
        `update ${qname(r.schema, r.table)} t set ${ident(r.column)} = o.source_value`,
        `  from supamigrate.storage_objects o`,
        `  where o.bucket_id = ${bucket} and o.rewritten and t.${ident(r.column)} = o.key;`,
      ].join('\n'),
    ),
    `delete from supamigrate.storage_objects where bucket_id = ${bucket};`,
  ].join('\n');
  return step(`storage:${m.bucket}`, 'data', 'storage', JSON.stringify(body, null, 2), down);
}

function uniqueColumns(m: StorageManifest): TransferSpec['rewrites'] {
  const seen = new Map<string, TransferSpec['rewrites'][number]>();
  for (const o of m.objects) {
    if (o.rewrite)
      seen.set(`${o.rewrite.schema}.${o.rewrite.table}.${o.rewrite.column}`, {
        schema: o.rewrite.schema,
        table: o.rewrite.table,
        column: o.rewrite.column,
      });
  }
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

/** A column source must name a column the snapshot has, or the rewrite would fail half-way through apply. */
function checkColumns(bucket: BucketSpec, snapshot: Snapshot): void {
  for (const s of bucket.sources) {
    if (s.kind !== 'column') continue;
    const table = snapshot.tables.find((t) => t.schema === s.schema && t.name === s.table);
    const name = `${s.schema}.${s.table}.${s.column}`;
    if (!table || !table.columns.some((c) => c.name === s.column)) {
      throw new UserError(
        `storage bucket ${bucket.name}: column source ${name} is not in the source snapshot`,
        `check the spelling of storage.buckets[].sources[].column, or run \`supamigrate introspect\` if the column is new`,
      );
    }
  }
}
