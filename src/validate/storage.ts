import type { Db } from '../db';
import { loadExecutablePlan } from '../execute/executable';
import { loadManifest } from '../execute/storage';
import type { ManifestObject, StorageManifest } from '../plan/storage';
import type { BucketSpec, Spec } from '../spec/types';
import { ident, qname } from '../sql';

export interface BucketParity {
  bucket: string;
  /** Objects the manifest says should be there (refused ones left out). */
  expected: number;
  found: number;
  missing: string[];
  wrongSize: string[];
  /** The server's eTag (md5 of the bytes) differs from the file's. */
  wrongChecksum: string[];
  /** Rows of a rewritten column whose value names no object in the bucket. */
  dangling: { column: string; values: string[] }[];
  ok: boolean;
}

export type StorageActor = 'anon' | 'folder owner' | 'other user';

export interface StorageAccessCell {
  bucket: string;
  actor: StorageActor;
  operation: 'select' | 'insert';
  object: string;
  expected: boolean | null;
  actual: boolean;
}

export interface StorageValidation {
  ok: boolean;
  buckets: BucketParity[];
  access: StorageAccessCell[];
}

/** Count, size and checksum of every manifest object, read from storage.objects on the target. */
export async function bucketParity(db: Db, m: StorageManifest): Promise<BucketParity> {
  const r = await db.query<{ name: string; size: string | null; etag: string | null }>(
    "select name, metadata ->> 'size' as size, metadata ->> 'eTag' as etag from storage.objects where bucket_id = $1",
    [m.bucket],
  );
  const there = new Map(r.rows.map((row) => [row.name, row]));
  const expected = m.objects.filter((o) => o.refused === null);
  const missing: string[] = [];
  const wrongSize: string[] = [];
  const wrongChecksum: string[] = [];
  for (const o of expected) {
    const row = there.get(o.key);
    if (!row) missing.push(o.key);
    else if (Number(row.size) !== o.size) wrongSize.push(o.key);
    else if (String(row.etag ?? '').replace(/"/g, '') !== o.md5) wrongChecksum.push(o.key);
  }
  const dangling = await danglingReferences(db, m);
  const found = expected.length - missing.length;
  const ok =
    missing.length === 0 &&
    wrongSize.length === 0 &&
    wrongChecksum.length === 0 &&
    dangling.every((d) => d.values.length === 0);
  return { bucket: m.bucket, expected: expected.length, found, missing, wrongSize, wrongChecksum, dangling, ok };
}

/** Rows of a rewritten column still holding a path that should have become a key (refused files keep theirs). */
async function danglingReferences(db: Db, m: StorageManifest): Promise<BucketParity['dangling']> {
  const byColumn = new Map<string, { c: NonNullable<ManifestObject['rewrite']>; stale: string[] }>();
  for (const o of m.objects) {
    if (!o.rewrite) continue;
    const name = `${o.rewrite.schema}.${o.rewrite.table}.${o.rewrite.column}`;
    const entry = byColumn.get(name) ?? { c: o.rewrite, stale: [] };
    if (o.refused === null && o.rewrite.from !== o.key) entry.stale.push(o.rewrite.from);
    byColumn.set(name, entry);
  }
  const out: BucketParity['dangling'] = [];
  for (const [name, { c, stale }] of [...byColumn.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const r = await db.query<{ v: string }>(
      `select ${ident(c.column)}::text as v from ${qname(c.schema, c.table)} where ${ident(c.column)} = any($1::text[]) order by 1`,
      [stale],
    );
    out.push({ column: name, values: r.rows.map((row) => row.v) });
  }
  return out;
}

/** A user id for the "other user" that no folder belongs to. */
const STRANGER = '00000000-0000-4000-8000-00000000beef';

/**
 * The bucket's policies as a matrix: anon, the user whose folder an object is in, and another
 * signed-in user, each reading that object and writing a new one next to it, run as PostgREST
 * would (role and JWT claims set in a transaction that is rolled back). A public bucket counts
 * as readable by anyone: Supabase serves its objects without asking the database.
 */
export async function storageAccessMatrix(
  db: Db,
  bucket: BucketSpec,
  m: StorageManifest,
): Promise<StorageAccessCell[]> {
  const sample = m.objects.find((o) => o.refused === null && o.key.includes('/'));
  if (!sample) return [];
  const folder = sample.key.split('/')[0];
  const probe = `${folder}/.supamigrate-probe`;
  const cells: StorageAccessCell[] = [];
  const actors: [StorageActor, Record<string, unknown> | null][] = [
    ['anon', null],
    ['folder owner', { sub: folder, role: 'authenticated', app_metadata: { tenant_id: folder } }],
    ['other user', { sub: STRANGER, role: 'authenticated', app_metadata: { tenant_id: STRANGER } }],
  ];
  const predictable = !bucket.access.some((a) => a.kind === 'custom');
  for (const [actor, claims] of actors) {
    const read = await asActor(db, claims, async (tx) => {
      const r = await tx.query<{ n: string }>(
        'select count(*)::text as n from storage.objects where bucket_id = $1 and name = $2',
        [m.bucket, sample.key],
      );
      return Number(r.rows[0].n) > 0;
    });
    const write = await asActor(db, claims, async (tx) => {
      await tx.query("insert into storage.objects (bucket_id, name, metadata) values ($1, $2, '{}')", [
        m.bucket,
        probe,
      ]);
      return true;
    });
    cells.push({
      bucket: m.bucket,
      actor,
      operation: 'select',
      object: sample.key,
      expected: predictable ? expectRead(bucket, actor) : null,
      actual: bucket.public || read,
    });
    cells.push({
      bucket: m.bucket,
      actor,
      operation: 'insert',
      object: probe,
      expected: predictable ? expectInsert(bucket, actor) : null,
      actual: write,
    });
  }
  return cells;
}

function expectRead(b: BucketSpec, actor: StorageActor): boolean {
  if (b.public) return true;
  if (actor === 'anon') return false;
  return b.access.some(
    (a) =>
      a.operations.includes('select') &&
      (a.kind === 'authenticated_read' ||
        (actor === 'folder owner' && (a.kind === 'owner_folder' || a.kind === 'tenant_folder'))),
  );
}

function expectInsert(b: BucketSpec, actor: StorageActor): boolean {
  if (actor !== 'folder owner') return false;
  return b.access.some(
    (a) => a.operations.includes('insert') && (a.kind === 'owner_folder' || a.kind === 'tenant_folder'),
  );
}

const ROLLBACK = Symbol('rollback');

/** Runs fn as the API role with those claims (anon when null); false when RLS refuses. Always rolled back. */
async function asActor(
  db: Db,
  claims: Record<string, unknown> | null,
  fn: (tx: Db) => Promise<boolean>,
): Promise<boolean> {
  let answer = false;
  try {
    await db.transaction(async (tx) => {
      await tx.query("select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)", [
        claims ? 'authenticated' : 'anon',
        JSON.stringify(claims ?? { role: 'anon' }),
      ]);
      try {
        answer = await fn(tx);
      } catch (err) {
        if ((err as { code?: string }).code !== '42501') throw err;
        answer = false;
      }
      throw ROLLBACK;
    });
  } catch (err) {
    if (err !== ROLLBACK) throw err;
  }
  return answer;
}

/** Human lines for the CLI. */
export function storageLines(v: StorageValidation): string[] {
  const lines = v.buckets.map((b) => {
    const problems = [
      b.missing.length ? `${b.missing.length} missing (first ${b.missing[0]})` : '',
      b.wrongSize.length ? `${b.wrongSize.length} with another size` : '',
      b.wrongChecksum.length ? `${b.wrongChecksum.length} with another checksum` : '',
      ...b.dangling.filter((d) => d.values.length).map((d) => `${d.values.length} ${d.column} value(s) name no object`),
    ].filter(Boolean);
    return `storage ${b.bucket}: ${b.found}/${b.expected} objects${problems.length ? `; ${problems.join('; ')}` : ', sizes and checksums match'}`;
  });
  for (const c of v.access.filter((x) => x.expected !== null && x.expected !== x.actual)) {
    lines.push(
      `  ! ${c.bucket}: ${c.actor} ${c.actual ? 'can' : 'cannot'} ${c.operation} ${c.object}, the spec says it ${c.expected ? 'should' : 'should not'}`,
    );
  }
  lines.push(
    `storage access: ${v.access.length} bucket x actor x operation cells, ${v.access.filter((c) => c.expected !== null && c.expected !== c.actual).length} differ from the spec`,
  );
  return lines;
}

/** Reads the plan's storage manifests and checks each bucket on the target: parity, then access. */
export async function validateStorage(db: Db, spec: Spec): Promise<StorageValidation> {
  const buckets: BucketParity[] = [];
  const access: StorageAccessCell[] = [];
  for (const step of loadExecutablePlan(spec.dir, {
    supabaseDir: spec.output.supabaseDir,
    stateDir: spec.output.stateDir,
    name: spec.name,
  })) {
    if (step.type !== 'storage-transfer') continue;
    const m = loadManifest(spec.dir, step.transfer);
    buckets.push(await bucketParity(db, m));
    const bucket = (spec.storage.buckets ?? []).find((b) => b.name === m.bucket);
    if (bucket) access.push(...(await storageAccessMatrix(db, bucket, m)));
  }
  const ok = buckets.every((b) => b.ok) && access.every((c) => c.expected === null || c.expected === c.actual);
  return { ok, buckets, access };
}
