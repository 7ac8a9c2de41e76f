import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrap } from '../../../src/bootstrap';
import { closeNamedPglite, openDb, type Db } from '../../../src/db';
import { hashFile, storageEndpoint, transferBucket, walkFiles } from '../../../src/execute/storage';
import { call, encodeKey } from '../../../src/execute/storage/http';
import { isValidObjectKey, type StorageManifest } from '../../../src/plan/storage';
import { bucketObjects } from '../../../src/plan/storage/objects';
import { fileBytes } from '../../../src/storage-server/example-uploads';
import { serviceRoleKey } from '../../../src/storage-server/jwt';
import { startStandin, type Standin } from '../../../src/storage-server/server';

jest.setTimeout(120_000);

const SECRET = 'names-test-secret-0123456789abcdef';
const UID = '33333333-3333-4333-8333-333333333333';
const NAMES = [
  'résumé.pdf',
  'resume.pdf',
  're\u0301sume\u0301 2.pdf',
  'faq?.txt',
  'a+b & c=d.txt',
  '日本語ノート.pdf',
  'tab\there.txt',
  '100%#~.txt',
  'big file.bin',
];

/** Awkward names through the transfer into the stand-in: each object lands under its manifest key with its bytes. */
describe('storage: every name lands as itself', () => {
  let db: Db;
  let standin: Standin;
  let dir: string;
  beforeAll(async () => {
    db = await openDb('pglite://memory/names-test');
    await bootstrap(db);
    await db.exec("insert into storage.buckets (id, name) values ('n', 'n')");
    dir = mkdtempSync(join(tmpdir(), 'sm-names-'));
    mkdirSync(join(dir, `src/${UID}`), { recursive: true });
    for (const name of NAMES)
      writeFileSync(
        join(dir, `src/${UID}`, name),
        fileBytes(name, name.endsWith('.bin') ? 13 * 1024 * 1024 + 7 : 1000),
      );
    standin = await startStandin({ db, root: join(dir, 'standin'), jwtSecret: SECRET });
  });
  afterAll(async () => {
    await standin?.close();
    await closeNamedPglite();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uploads each (the big one through TUS) and every object downloads under its key with its sha256', async () => {
    const files = walkFiles(join(dir, 'src')).map((path) => ({ path, ...hashFile(join(dir, 'src', path)) }));
    const bucket = {
      name: 'n',
      public: false,
      fileSizeLimit: null,
      allowedMimeTypes: null,
      cacheControlSeconds: 60,
      access: [{ kind: 'owner_folder' as const, operations: [], roles: [] }],
      sources: [{ kind: 'directory' as const, directory: 'src', prefix: '' }],
    };
    const manifest: StorageManifest = {
      bucket: 'n',
      public: false,
      fileSizeLimit: null,
      allowedMimeTypes: null,
      cacheControlSeconds: 60,
      objects: bucketObjects(bucket, { src: files }, {}),
    };
    expect(new Set(manifest.objects.map((o) => o.key)).size).toBe(NAMES.length);
    expect(manifest.objects.every((o) => isValidObjectKey(o.key))).toBe(true);
    const endpoint = storageEndpoint(standin.url, serviceRoleKey(SECRET));
    const r = await transferBucket({ db, endpoint, dir, manifest, parallel: 3, retries: 0 });
    expect(r.failed).toEqual([]);
    expect(r.uploaded).toBe(NAMES.length);
    const rows = await db.query<{ name: string; owner: string | null; owner_id: string | null }>(
      'select name, owner::text, owner_id from storage.objects where bucket_id = \'n\' order by name collate "C"',
    );
    expect(rows.rows.map((x) => x.name)).toEqual(manifest.objects.map((o) => o.key).sort((a, b) => (a < b ? -1 : 1)));
    expect(rows.rows.every((x) => x.owner === UID && x.owner_id === UID)).toBe(true);
    for (const o of manifest.objects) {
      const got = await call(endpoint, 'GET', `/object/n/${encodeKey(o.key)}`, {});
      expect([o.key, got.status, createHash('sha256').update(got.body).digest('hex')]).toEqual([o.key, 200, o.sha256]);
    }
    expect(manifest.objects.find((o) => o.originalName === `${UID}/faq?.txt`)?.key).toBe(`${UID}/faq?.txt`);
    endpoint.agent.destroy();
  });
});
