import { join } from 'node:path';
import { closeNamedPglite } from '../../src/db';
import { ROOT } from '../helpers/sources';
import { problemsAgainst, type DocSchema } from './functions/conformance';
import { cleanup, startConduit, type Conduit } from './functions/conduit-setup';

/**
 * The OAuth2 password flow of a FastAPI-shaped backend (test/fixtures/fastapi, a document of our
 * own in the style of the usual template): the tokenUrl route takes a form body and becomes
 * auth.signInWithPassword answering {access_token, token_type}; public routes answer without a
 * token; items follow the owner rule, and a superuser (app_metadata.is_superuser) reads any.
 */
const FIXTURE = { dir: join(ROOT, 'test/fixtures/fastapi'), openapi: join(ROOT, 'test/fixtures/fastapi/openapi.json') };
const FUNCTIONS = ['login', 'users', 'categories', 'items'];
const ITEM = '5c1e0d2a-3b4f-4a6e-8c7d-9e0f1a2b3c4d';
let c: Conduit;
const ann = { id: '', email: 'ann@items.example', password: 'ann-password' };
const sam = { id: '', email: 'sam@items.example', password: 'sam-password' };

beforeAll(async () => {
  c = await startConduit(FUNCTIONS, FIXTURE);
  // The migrated users, as the seed step and Supabase Auth would hold them.
  for (const [u, superuser] of [[ann, false], [sam, true]] as const) {
    u.id = c.auth.seed(u.email, u.password, { is_superuser: superuser }).id;
    await c.db.query("insert into auth.users (id, aud, role, email, raw_app_meta_data) values ($1, 'authenticated', 'authenticated', $2, $3)", [u.id, u.email, JSON.stringify({ is_superuser: superuser })]);
    await c.db.query('insert into public.users (id, email, full_name, is_superuser) values ($1, $2, $3, $4)', [u.id, u.email, u.email.split('@')[0], superuser]);
  }
  await c.db.query("insert into public.categories values (1, 'books')");
  await c.db.query("insert into public.items (id, title, description, owner_id) values ($1, 'ann''s notebook', 'lined', $2)", [ITEM, ann.id]);
}, 420_000);

afterAll(async () => {
  for (const undo of cleanup) await undo();
  await closeNamedPglite();
});

async function call(fn: string, path: string, init: RequestInit = {}): Promise<{ status: number; json: any }> {
  const res = await fetch(`${c.deno.urls[fn]}${path}`, init);
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

const schema = (name: string): DocSchema => ({ $ref: `#/components/schemas/${name}` });
const conforms = (value: unknown, s: DocSchema) => expect(problemsAgainst(value, s, c.doc.components.schemas as Record<string, DocSchema>, '$', false)).toEqual([]);

async function login(u: { email: string; password: string }): Promise<{ status: number; json: any }> {
  const form = new URLSearchParams({ grant_type: 'password', username: u.email, password: u.password });
  return call('login', '/login/access-token', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString() });
}

describe('FastAPI-shaped backend: OAuth2 password flow onto Supabase Auth', () => {
  it('deno check passes on every function', () => {
    expect(c.check.output).not.toMatch(/error/i);
    expect(c.check.code).toBe(0);
  });

  it('the tokenUrl route takes the form body, calls signInWithPassword and answers {access_token, token_type}', async () => {
    const r = await login(ann);
    expect({ status: r.status, requests: r.status === 200 ? [] : c.auth.requests, body: r.status === 200 ? null : r.json }).toEqual({ status: 200, requests: [], body: null });
    conforms(r.json, schema('Token'));
    expect(r.json.token_type).toBe('bearer');
    expect(c.auth.requests).toContainEqual({ method: 'POST', path: '/token?grant_type=password', body: expect.objectContaining({ email: ann.email, password: ann.password }) });
    expect((await login({ ...ann, password: 'wrong-password' })).status).toBeGreaterThanOrEqual(400);
  });

  it('a public route answers without a token', async () => {
    const r = await call('categories', '/categories');
    expect(r.status).toBe(200);
    conforms(r.json, { type: 'array', items: schema('Category') });
    expect(r.json).toEqual([{ id: 1, name: 'books' }]);
  });

  it('GET /users/me needs the token and answers the profile in the legacy shape', async () => {
    expect((await call('users', '/users/me')).status).toBe(401);
    const token = (await login(ann)).json.access_token;
    const r = await call('users', '/users/me', { headers: { Authorization: `Bearer ${token}` } });
    expect(r.status).toBe(200);
    conforms(r.json, schema('UserPublic'));
    expect(r.json).toMatchObject({ id: ann.id, email: ann.email, full_name: 'ann', is_superuser: false });
  });

  it('an item: its owner reads it, another user does not, a superuser reads any', async () => {
    const path = `/items/${ITEM}`;
    expect((await call('items', path)).status).toBe(401);
    const own = await call('items', path, { headers: { Authorization: `Bearer ${(await login(ann)).json.access_token}` } });
    expect(own.status).toBe(200);
    conforms(own.json, schema('ItemPublic'));
    const other = c.auth.seed('eve@items.example', 'eve-password');
    await c.db.query("insert into auth.users (id, aud, role, email) values ($1, 'authenticated', 'authenticated', $2)", [other.id, other.email]);
    const eve = await call('items', path, { headers: { Authorization: `Bearer ${c.auth.tokenFor(other)}` } });
    expect(eve.status).toBe(404);
    const su = await call('items', path, { headers: { Authorization: `Bearer ${(await login(sam)).json.access_token}` } });
    expect(su.status).toBe(200);
    expect(su.json.title).toBe("ann's notebook");
  });
});
