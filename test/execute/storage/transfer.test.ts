import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrap } from '../../../src/bootstrap';
import { closeNamedPglite, openDb, type Db } from '../../../src/db';
import { hashFile, storageApi, storageEndpoint, transferBucket, walkFiles, type StorageEvent } from '../../../src/execute/storage';
import { StorageHttpError } from '../../../src/storage-server/errors';
import type { StorageManifest } from '../../../src/plan/storage';
import { bucketObjects } from '../../../src/plan/storage/objects';
import { serviceRoleKey } from '../../../src/storage-server/jwt';
import { startStandin, type Standin } from '../../../src/storage-server/server';

jest.setTimeout(120_000);

const SECRET = 'transfer-test-secret-0123456789abcdef';

/** The transfer on its own: retries, identical and foreign objects, refusals; the stand-in on PGlite. */
describe('storage transfer', () => {
  let db: Db;
  let standin: Standin;
  let dir: string;
  let manifest: StorageManifest;
  // What the stand-in answers an upload with, instead of storing it (null: store it).
  let fault: (u: { bucket: string; key: string }) => StorageHttpError | null = () => null;
  beforeAll(async () => {
    db = await openDb('pglite://memory/transfer-test');
    await bootstrap(db);
    await db.exec("insert into storage.buckets (id, name, file_size_limit) values ('b', 'b', 1000)");
    dir = mkdtempSync(join(tmpdir(), 'sm-transfer-'));
    mkdirSync(join(dir, 'src/u1'), { recursive: true });
    for (const [name, body] of [['a.txt', 'alpha'], ['b.txt', 'bravo'], ['same.txt', 'same'], ['theirs.txt', 'mine'], ['big.txt', 'x'.repeat(2000)]]) {
      writeFileSync(join(dir, 'src/u1', name), body);
    }
    standin = await startStandin({ db, root: join(dir, 'standin'), jwtSecret: SECRET, fault: (u) => fault(u) });
    const files = walkFiles(join(dir, 'src')).map((path) => ({ path, ...hashFile(join(dir, 'src', path)) }));
    const bucket = { name: 'b', public: false, fileSizeLimit: 1000, allowedMimeTypes: null, cacheControlSeconds: 60, access: [], sources: [{ kind: 'directory' as const, directory: 'src', prefix: '' }] };
    manifest = { bucket: 'b', public: false, fileSizeLimit: 1000, allowedMimeTypes: null, cacheControlSeconds: 60, objects: bucketObjects(bucket, { src: files }, {}) };
  });
  afterAll(async () => {
    await standin?.close();
    await closeNamedPglite();
    rmSync(dir, { recursive: true, force: true });
  });

  it('retries dropped uploads with back-off, reuses identical objects, leaves foreign ones alone', async () => {
    const api = storageApi(standin.url, serviceRoleKey(SECRET));
    // Somebody uploaded two of the keys already: one with the same bytes, one with others.
    await api.from('b').upload('u1/same.txt', Buffer.from('same'), { contentType: 'text/plain' });
    await api.from('b').upload('u1/theirs.txt', Buffer.from('theirs'), { contentType: 'text/plain' });
    // Every upload's first attempt answers 503, as a gateway under load would.
    const seen = new Set<string>();
    fault = (u) => {
      if (seen.has(u.key)) return null;
      seen.add(u.key);
      return new StorageHttpError('503', 'Service Unavailable', 'SlowDown', 'try again');
    };
    const events: StorageEvent[] = [];
    const endpoint = storageEndpoint(standin.url, serviceRoleKey(SECRET));
    const r = await transferBucket({ db, endpoint, dir, manifest, parallel: 2, retries: 2, retryDelayMs: 5, onEvent: (e) => events.push(e) });
    fault = () => null;
    expect(r.uploaded).toBe(2);
    expect(r.identical).toBe(1);
    expect(r.refused.map((x) => x.key)).toEqual(['u1/big.txt']);
    expect(r.failed.map((x) => [x.key, x.error])).toEqual([['u1/theirs.txt', 'an object with this key is already in the bucket with other content; it was left as it is']]);
    expect(events.filter((e) => e.type === 'object-retry').map((e) => e.key).sort()).toEqual(['u1/a.txt', 'u1/b.txt']);
    const got = await api.from('b').download('u1/theirs.txt');
    expect(await (got.data as Blob).text()).toBe('theirs');
    const states = await db.query<{ key: string; state: string }>("select key, state from supamigrate.storage_objects where bucket_id = 'b' order by key");
    expect(states.rows).toEqual([{ key: 'u1/a.txt', state: 'done' }, { key: 'u1/b.txt', state: 'done' }, { key: 'u1/same.txt', state: 'present' }]);
    // A second run has nothing left to send.
    const again = await transferBucket({ db, endpoint, dir, manifest, parallel: 2, retries: 0 });
    expect([again.uploaded, again.resumed, again.identical]).toEqual([0, 3, 0]);
  });

  it('gives up after the retries and says why', async () => {
    fault = () => new StorageHttpError('500', 'Internal', 'InternalError', 'disk full');
    const lone = { ...manifest, bucket: 'b', objects: manifest.objects.filter((o) => o.key === 'u1/a.txt').map((o) => ({ ...o, key: 'u1/again.txt' })) };
    const endpoint = storageEndpoint(standin.url, serviceRoleKey(SECRET));
    const r = await transferBucket({ db, endpoint, dir, manifest: lone, parallel: 1, retries: 2, retryDelayMs: 1 });
    fault = () => null;
    expect(r.failed).toEqual([{ key: 'u1/again.txt', source: 'src/u1/a.txt', error: '[500] disk full (after 3 attempts)' }]);
  });
});
