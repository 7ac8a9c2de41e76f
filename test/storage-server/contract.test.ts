import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrap } from '../../src/bootstrap';
import { closeNamedPglite, openDb, type Db } from '../../src/db';
import { storageEndpoint, type StorageEndpoint } from '../../src/execute/storage';
import { call } from '../../src/execute/storage/http';
import { serviceRoleKey, signJwt } from '../../src/storage-server/jwt';
import { startStandin, type Standin } from '../../src/storage-server/server';

jest.setTimeout(120_000);

const SECRET = 'contract-test-secret-0123456789abcdef';
const USER = '22222222-2222-4222-8222-222222222222';
const json = (b: Buffer) => JSON.parse(b.toString('utf8')) as Record<string, unknown>;
const b64 = (s: string) => Buffer.from(s).toString('base64');

/**
 * The stand-in against what Supabase's Storage server (supabase/storage) does, case by case, over
 * raw HTTP so no client library smooths anything over. Each case names the real behaviour.
 */
describe('storage stand-in: contract with the real server', () => {
  let db: Db;
  let standin: Standin;
  let service: StorageEndpoint;
  let root: string;
  beforeAll(async () => {
    db = await openDb('pglite://memory/contract-test');
    await bootstrap(db);
    await db.exec(`insert into storage.buckets (id, name, file_size_limit) values ('b', 'b', 20000000);
      create policy "own folder" on storage.objects for insert to authenticated with check ((storage.foldername(name))[1] = (select auth.uid())::text);
      create policy "own read" on storage.objects for select to authenticated using ((storage.foldername(name))[1] = (select auth.uid())::text)`);
    root = mkdtempSync(join(tmpdir(), 'sm-contract-'));
    standin = await startStandin({ db, root, jwtSecret: SECRET });
    service = storageEndpoint(standin.url, serviceRoleKey(SECRET));
  });
  afterAll(async () => {
    service?.agent.destroy();
    await standin?.close();
    await closeNamedPglite();
    rmSync(root, { recursive: true, force: true });
  });

  const upload = (ep: StorageEndpoint, rawPath: string, body = 'x') =>
    call(ep, 'POST', `/object/b/${rawPath}`, { 'content-type': 'text/plain', 'x-upsert': 'true' }, body);
  const row = async (name: string) =>
    (
      await db.query<{ owner: string | null; owner_id: string | null }>(
        'select owner::text, owner_id from storage.objects where bucket_id = $1 and name = $2',
        ['b', name],
      )
    ).rows[0];

  it('real: the router reads the key from the path, so an unencoded `?` starts the query and the key ends before it', async () => {
    const a = await upload(service, 'u1/faq?.txt');
    expect(a.status).toBe(200);
    expect(json(a.body).Key).toBe('b/u1/faq');
    expect(await row('u1/faq')).toBeDefined();
  });

  it('real: the path is percent-decoded, so `%3F` stores `?` and the answer names the key as stored', async () => {
    const a = await upload(service, 'u1/faq%3F%20%2B.txt');
    expect(json(a.body)).toMatchObject({ Key: 'b/u1/faq? +.txt' });
  });

  it("real: isValidKey refuses anything outside [\\w/!-.*'() &$@=;:+,?], as HTTP 400 with the code in the body", async () => {
    for (const raw of ['u1/caf%C3%A9.txt', 'u1/a~b.txt', 'u1/a%25b.txt', 'u1/a%5Cb.txt']) {
      const a = await upload(service, raw);
      expect(a.status).toBe(400);
      expect(json(a.body)).toEqual({
        statusCode: '400',
        error: 'InvalidKey',
        code: 'InvalidKey',
        message: `Invalid key: ${decodeURIComponent(raw)}`,
      });
    }
  });

  it('real: owner (uuid) and owner_id (text) both take the JWT sub; the service key leaves both null', async () => {
    const user = storageEndpoint(standin.url, signJwt({ role: 'authenticated', sub: USER }, SECRET));
    expect((await upload(user, `${USER}/mine.txt`)).status).toBe(200);
    expect(await row(`${USER}/mine.txt`)).toEqual({ owner: USER, owner_id: USER });
    expect((await upload(service, 'u1/service.txt')).status).toBe(200);
    expect(await row('u1/service.txt')).toEqual({ owner: null, owner_id: null });
    const denied = await upload(user, 'someone-else/x.txt');
    expect([denied.status, json(denied.body).statusCode]).toEqual([400, '403']);
    user.agent.destroy();
  });

  it('real: TUS 1.0.0 at /upload/resumable (tus-js-client protocol): create, HEAD, PATCH in order, row written at the end', async () => {
    const options = await call(service, 'OPTIONS', '/upload/resumable', {});
    expect([options.status, options.headers['tus-version']]).toEqual([204, '1.0.0']);
    const meta = `bucketName ${b64('b')},objectName ${b64('u1/big?.bin')},contentType ${b64('application/octet-stream')},cacheControl ${b64('60')}`;
    const created = await call(service, 'POST', '/upload/resumable', {
      'tus-resumable': '1.0.0',
      'upload-length': '10',
      'upload-metadata': meta,
      'content-length': '0',
    });
    expect(created.status).toBe(201);
    const location = String(created.headers.location);
    // The upload URL ends in base64url(bucket/object/version), as the real server names it.
    expect(Buffer.from(location.split('/').pop() as string, 'base64url').toString()).toMatch(
      /^b\/u1\/big\?\.bin\/[0-9a-f-]{36}$/,
    );
    const part = (offset: number, body: string) =>
      call(
        service,
        'PATCH',
        location,
        {
          'tus-resumable': '1.0.0',
          'upload-offset': String(offset),
          'content-type': 'application/offset+octet-stream',
        },
        body,
      );
    expect((await part(0, '01234')).headers['upload-offset']).toBe('5');
    expect((await part(3, 'zz')).status).toBe(409);
    const head = await call(service, 'HEAD', location, { 'tus-resumable': '1.0.0' });
    expect([head.headers['upload-offset'], head.headers['upload-length']]).toEqual(['5', '10']);
    expect(await row('u1/big?.bin')).toBeUndefined();
    expect((await part(5, '56789')).status).toBe(204);
    const got = await call(
      service,
      'GET',
      `/object/b/${encodeURIComponent('u1')}/${encodeURIComponent('big?.bin')}`,
      {},
    );
    expect(got.body.toString()).toBe('0123456789');
    expect(got.headers['cache-control']).toBe('max-age=60');
  });

  it('real: TUS refusals carry their own status and a text body: 413 over the limit, 400 for an invalid key, 404 unknown upload', async () => {
    const create = (name: string, length: number) =>
      call(service, 'POST', '/upload/resumable', {
        'tus-resumable': '1.0.0',
        'upload-length': String(length),
        'upload-metadata': `bucketName ${b64('b')},objectName ${b64(name)}`,
        'content-length': '0',
      });
    const big = await create('u1/huge.bin', 30000000);
    expect([big.status, big.body.toString()]).toEqual([413, 'Maximum size exceeded']);
    const bad = await create('u1/ü.bin', 1);
    expect([bad.status, bad.body.toString()]).toEqual([400, 'Invalid key: u1/ü.bin']);
    expect((await call(service, 'HEAD', '/upload/resumable/bm9wZQ', { 'tus-resumable': '1.0.0' })).status).toBe(404);
  });
});
