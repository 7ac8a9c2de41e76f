import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrap } from '../../src/bootstrap';
import { closeNamedPglite, openDb, type Db } from '../../src/db';
import { storageApi, type StorageApi } from '../../src/execute/storage';
import { serviceRoleKey, signJwt } from '../../src/storage-server/jwt';
import { startStandin, type Standin } from '../../src/storage-server/server';

jest.setTimeout(120_000);

const SECRET = 'stand-in-test-secret-0123456789abcdef';

/** The stand-in through supabase-js: routes, limits and errors shaped as Supabase Storage sends them. */
describe('storage stand-in', () => {
  let db: Db;
  let standin: Standin;
  let api: StorageApi;
  let root: string;
  beforeAll(async () => {
    db = await openDb('pglite://memory/standin-test');
    await bootstrap(db);
    root = mkdtempSync(join(tmpdir(), 'sm-standin-'));
    standin = await startStandin({ db, root, jwtSecret: SECRET });
    api = storageApi(standin.url, serviceRoleKey(SECRET));
  });
  afterAll(async () => {
    await standin?.close();
    await closeNamedPglite();
    rmSync(root, { recursive: true, force: true });
  });

  const status = (e: unknown) => ({ http: (e as { status?: number }).status, code: (e as { statusCode?: string }).statusCode });

  it('creates buckets and refuses a second with the same id (400, "409")', async () => {
    expect((await api.createBucket('docs', { public: false, fileSizeLimit: 100, allowedMimeTypes: ['text/plain', 'image/*'] })).error).toBeNull();
    const again = await api.createBucket('docs');
    expect(status(again.error)).toEqual({ http: 400, code: '409' });
    expect((await api.getBucket('docs')).data).toMatchObject({ id: 'docs', public: false, allowed_mime_types: ['text/plain', 'image/*'] });
  });

  it('uploads, downloads, lists, upserts and removes objects', async () => {
    const bucket = api.from('docs');
    expect((await bucket.upload('u1/a.txt', Buffer.from('hello'), { contentType: 'text/plain', metadata: { originalName: 'ä.txt' } })).error).toBeNull();
    const dup = await bucket.upload('u1/a.txt', Buffer.from('again'), { contentType: 'text/plain' });
    expect(status(dup.error)).toEqual({ http: 400, code: '409' });
    expect((await bucket.upload('u1/a.txt', Buffer.from('again'), { contentType: 'text/plain', upsert: true, metadata: { originalName: 'ä.txt' } })).error).toBeNull();
    const got = await bucket.download('u1/a.txt');
    expect(Buffer.from(await (got.data as Blob).arrayBuffer()).toString()).toBe('again');
    expect((await bucket.upload('u1/sub/b.png', Buffer.from('png'), { contentType: 'image/png' })).error).toBeNull();
    const listed = await bucket.list('u1');
    expect(listed.data?.map((e) => [e.name, e.id === null])).toEqual([['sub', true], ['a.txt', false]].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)));
    const info = await bucket.info('u1/a.txt');
    expect(info.data).toMatchObject({ size: 5, contentType: 'text/plain', metadata: { originalName: 'ä.txt' } });
    expect((await bucket.remove(['u1/a.txt'])).data?.map((r) => r.name)).toEqual(['u1/a.txt']);
    expect(status((await bucket.download('u1/a.txt')).error)).toMatchObject({ code: '404' });
  });

  it('refuses what Supabase Storage refuses: invalid keys, oversized files, other types', async () => {
    const bucket = api.from('docs');
    const key = await bucket.upload('u1/café.txt', Buffer.from('x'), { contentType: 'text/plain' });
    expect(status(key.error)).toEqual({ http: 400, code: '400' });
    expect(key.error?.message).toMatch(/^Invalid key/);
    const big = await bucket.upload('u1/big.txt', Buffer.alloc(101), { contentType: 'text/plain' });
    expect(status(big.error)).toEqual({ http: 400, code: '413' });
    const type = await bucket.upload('u1/x.pdf', Buffer.from('x'), { contentType: 'application/pdf' });
    expect(status(type.error)).toEqual({ http: 400, code: '415' });
    expect(status((await api.from('nope').upload('a.txt', Buffer.from('x'))).error)).toMatchObject({ code: '404' });
  });

  it('checks the key and applies RLS to other roles', async () => {
    const forged = storageApi(standin.url, signJwt({ role: 'service_role' }, 'another-secret'));
    expect(status((await forged.from('docs').upload('u1/f.txt', Buffer.from('x'), { contentType: 'text/plain' })).error)).toEqual({ http: 400, code: '403' });
    // No policy on storage.objects lets a signed-in user write: RLS refuses, as on Supabase.
    const user = storageApi(standin.url, signJwt({ role: 'authenticated', sub: '11111111-1111-4111-8111-111111111111' }, SECRET));
    expect(status((await user.from('docs').upload('u1/g.txt', Buffer.from('x'), { contentType: 'text/plain' })).error)).toEqual({ http: 400, code: '403' });
    expect((await user.from('docs').list('u1')).data).toEqual([]);
  });
});
