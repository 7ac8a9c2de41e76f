import { closeNamedPglite } from '../../src/db';
import { problemsAgainst, type DocSchema } from './functions/conformance';
import { cleanup, progress, startConduit, type Conduit } from './functions/conduit-setup';

/**
 * The RealWorld "Conduit" API (a document nobody here wrote) migrated end to end: its schema
 * planned and applied to a Supabase-shaped PGlite, every generated function type-checked and
 * served under Deno, custom handlers ported by hand (test/fixtures/conduit/handlers), and each
 * operation called as the legacy client calls it, through a PostgREST stand-in that runs every
 * request on that database under the caller's role (so row level security decides) and the Auth
 * stand-in (test/e2e/functions/gotrue.ts). Answers are checked against the document's schemas.
 */
const FUNCTIONS = ['user-and-authentication', 'profile', 'articles', 'comments', 'favorites', 'tags'];
let c: Conduit;

beforeAll(async () => {
  c = await startConduit(FUNCTIONS);
}, 420_000);

afterAll(async () => {
  for (const undo of cleanup) await undo();
  await closeNamedPglite();
});

type Legacy = { status: number; json: any };
const FN_OF: Record<string, string> = { users: 'user-and-authentication', user: 'user-and-authentication', profiles: 'profile', tags: 'tags' };

/** The function serving a legacy path: its tag's function, reached at /functions/v1/<fn><legacy path>. */
function functionOf(path: string): string {
  if (/^\/articles\/[^/]+\/comments/.test(path)) return 'comments';
  if (/^\/articles\/[^/]+\/favorite$/.test(path)) return 'favorites';
  return FN_OF[path.split('/')[1].split('?')[0]] ?? 'articles';
}

/** A request as the legacy client sends it: `Authorization: Token <jwt>`, a JSON body. */
async function call(method: string, path: string, token: string | null, body?: unknown): Promise<Legacy> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...(token ? { Authorization: `Token ${token}` } : {}) };
  const res = await fetch(`${c.deno.urls[functionOf(path)]}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

/** The document's schema of an operation's answer with that status. */
function answerSchema(operationId: string, status: number): DocSchema {
  for (const ops of Object.values(c.doc.paths)) {
    for (const op of Object.values(ops)) {
      if (op.operationId !== operationId) continue;
      let response = op.responses[String(status)];
      if (response?.$ref) response = c.doc.components.responses[response.$ref.split('/').pop()!] as typeof response;
      const schema = response?.content?.['application/json']?.schema;
      if (!schema) throw new Error(`${operationId} documents no JSON answer for ${status}`);
      return schema;
    }
  }
  throw new Error(`no operation ${operationId}`);
}

/** The answer has the status and conforms to the document's schema for it. */
function expectAnswer(r: Legacy, operationId: string, status: number): void {
  expect({ status: r.status, body: r.status === status ? null : r.json }).toEqual({ status, body: null });
  if (status === 204) return;
  expect(problemsAgainst(r.json, answerSchema(operationId, status), c.doc.components.schemas as Record<string, DocSchema>)).toEqual([]);
}

const users: Record<string, { token: string; email: string }> = {};

describe('Conduit: generated functions', () => {
  it('deno check passes on every function (hand-ported handlers included)', () => {
    expect(c.check.output).not.toMatch(/error/i);
    expect(c.check.code).toBe(0);
  });

  it('re-planning left every hand-ported handler byte for byte as it was', () => {
    expect(Object.keys(c.ported).length).toBeGreaterThanOrEqual(15);
    expect(c.replanned).toEqual(c.ported);
  });
});

describe('Conduit: users and authentication (Supabase Auth with the legacy body)', () => {
  it.each(['alice', 'bob', 'carol'])('POST /users registers %s without a token: 201 {user: {..., token}}', async (name) => {
    const r = await call('POST', '/users', null, { user: { username: name, email: `${name}@conduit.example`, password: `${name}-password` } });
    expectAnswer(r, 'CreateUser', 201);
    expect(r.json.user).toMatchObject({ username: name, email: `${name}@conduit.example`, bio: null, image: null });
    users[name] = { token: r.json.user.token, email: `${name}@conduit.example` };
    expect(c.auth.requests.some((q) => q.path === '/signup' && (q.body as { email: string }).email === users[name].email)).toBe(true);
  });

  it('POST /users with a taken username or e-mail is 422 with the legacy error body', async () => {
    const r = await call('POST', '/users', null, { user: { username: 'alice2', email: 'alice@conduit.example', password: 'another-password' } });
    expect(r.status).toBe(422);
    expect(r.json.errors.body[0]).toMatch(/already registered/);
  });

  it('POST /users/login is public and answers {user: {..., token}}; a wrong password is refused', async () => {
    const r = await call('POST', '/users/login', null, { user: { email: 'alice@conduit.example', password: 'alice-password' } });
    expectAnswer(r, 'Login', 200);
    expect(r.json.user.username).toBe('alice');
    users.alice.token = r.json.user.token;
    const wrong = await call('POST', '/users/login', null, { user: { email: 'alice@conduit.example', password: 'nope-nope' } });
    expect([401, 422]).toContain(wrong.status);
  });

  it('GET /user needs a token; with one it joins Supabase Auth with the profile row', async () => {
    expect((await call('GET', '/user', null)).status).toBe(401);
    const r = await call('GET', '/user', users.bob.token);
    expectAnswer(r, 'GetCurrentUser', 200);
    expect(r.json.user).toMatchObject({ username: 'bob', email: 'bob@conduit.example', token: users.bob.token });
  });

  it('PUT /user updates only the caller: bio on the profile row, e-mail through Supabase Auth', async () => {
    expect((await call('PUT', '/user', null, { user: { bio: 'x' } })).status).toBe(401);
    const r = await call('PUT', '/user', users.bob.token, { user: { bio: 'I write about databases', email: 'bob@newmail.example' } });
    expectAnswer(r, 'UpdateCurrentUser', 200);
    expect(r.json.user).toMatchObject({ username: 'bob', bio: 'I write about databases', email: 'bob@newmail.example' });
    expect((await call('GET', '/profiles/alice', null)).json.profile.bio).toBeNull();
  });

  it('an admin claim (app_metadata.is_admin) comes from Supabase Auth for carol', async () => {
    c.auth.users.get(users.carol.email)!.appMetadata.is_admin = true;
    const r = await call('POST', '/users/login', null, { user: { email: users.carol.email, password: 'carol-password' } });
    expectAnswer(r, 'Login', 200);
    users.carol.token = r.json.user.token;
    progress('users registered: alice, bob, carol (admin)');
  });
});

describe('Conduit: profiles and follows', () => {
  it('GET /profiles/{username} answers with or without a token; following is the caller\'s', async () => {
    const anon = await call('GET', '/profiles/bob', null);
    expectAnswer(anon, 'GetProfileByUsername', 200);
    expect(anon.json.profile).toEqual({ username: 'bob', bio: 'I write about databases', image: null, following: false });
    expect((await call('GET', '/profiles/nobody', null)).status).toBe(404);
  });

  it('POST/DELETE /profiles/{username}/follow need a token and act for the caller only', async () => {
    expect((await call('POST', '/profiles/bob/follow', null)).status).toBe(401);
    const followed = await call('POST', '/profiles/bob/follow', users.alice.token);
    expectAnswer(followed, 'FollowUserByUsername', 200);
    expect(followed.json.profile.following).toBe(true);
    expect((await call('GET', '/profiles/bob', users.alice.token)).json.profile.following).toBe(true);
    expect((await call('GET', '/profiles/bob', users.carol.token)).json.profile.following).toBe(false);
    expect((await call('GET', '/profiles/bob', null)).json.profile.following).toBe(false);
    const carol = await call('POST', '/profiles/alice/follow', users.carol.token);
    expectAnswer(carol, 'FollowUserByUsername', 200);
    const unfollowed = await call('DELETE', '/profiles/alice/follow', users.carol.token);
    expectAnswer(unfollowed, 'UnfollowUserByUsername', 200);
    expect(unfollowed.json.profile.following).toBe(false);
    expect((await call('DELETE', '/profiles/alice/follow', null)).status).toBe(401);
  });
});

describe('Conduit: articles, comments, favorites, tags', () => {
  const draft = { title: 'How to migrate', description: 'onto Supabase', body: 'Plan, apply, validate.', tagList: ['postgres', 'supabase'] };
  let slug = '';

  it('POST /articles needs a token and writes the caller as author', async () => {
    expect((await call('POST', '/articles', null, { article: draft })).status).toBe(401);
    const r = await call('POST', '/articles', users.bob.token, { article: draft });
    expectAnswer(r, 'CreateArticle', 201);
    expect(r.json.article).toMatchObject({ title: draft.title, tagList: ['postgres', 'supabase'], favorited: false, favoritesCount: 0, author: { username: 'bob' } });
    slug = r.json.article.slug;
  });

  it('GET /articles and GET /articles/{slug} answer with or without a token; following/favorited are the caller\'s', async () => {
    const anon = await call('GET', '/articles', null);
    expectAnswer(anon, 'GetArticles', 200);
    expect(anon.json.articlesCount).toBe(1);
    expect(anon.json.articles[0].author.following).toBe(false);
    const alice = await call('GET', `/articles/${slug}`, users.alice.token);
    expectAnswer(alice, 'GetArticle', 200);
    expect(alice.json.article.author.following).toBe(true);
    expect((await call('GET', '/articles?author=bob&tag=postgres', null)).json.articlesCount).toBe(1);
    expect((await call('GET', '/articles?author=alice', null)).json).toEqual({ articles: [], articlesCount: 0 });
    expect((await call('GET', '/articles/no-such-article', null)).status).toBe(404);
  });

  it('GET /articles/feed needs a token and lists the followed authors\' articles', async () => {
    expect((await call('GET', '/articles/feed', null)).status).toBe(401);
    const feed = await call('GET', '/articles/feed', users.alice.token);
    expectAnswer(feed, 'GetArticlesFeed', 200);
    expect(feed.json.articles.map((a: { slug: string }) => a.slug)).toEqual([slug]);
    expect((await call('GET', '/articles/feed', users.carol.token)).json.articlesCount).toBe(0);
  });

  it('PUT /articles/{slug}: no token 401, another user 403 (row level security), the author 200, an admin 200', async () => {
    expect((await call('PUT', `/articles/${slug}`, null, { article: { body: 'x' } })).status).toBe(401);
    const other = await call('PUT', `/articles/${slug}`, users.alice.token, { article: { body: 'hijacked' } });
    expect(other.status).toBe(403);
    const own = await call('PUT', `/articles/${slug}`, users.bob.token, { article: { body: 'Plan, apply, validate, cut over.' } });
    expectAnswer(own, 'UpdateArticle', 200);
    expect(own.json.article.body).toBe('Plan, apply, validate, cut over.');
    const admin = await call('PUT', `/articles/${slug}`, users.carol.token, { article: { description: 'edited by a moderator' } });
    expectAnswer(admin, 'UpdateArticle', 200);
    expect((await call('GET', `/articles/${slug}`, null)).json.article).toMatchObject({ body: 'Plan, apply, validate, cut over.', description: 'edited by a moderator' });
  });

  it('favorites: need a token, count for everyone, favorited only for the caller', async () => {
    expect((await call('POST', `/articles/${slug}/favorite`, null)).status).toBe(401);
    const fav = await call('POST', `/articles/${slug}/favorite`, users.alice.token);
    expectAnswer(fav, 'CreateArticleFavorite', 200);
    expect(fav.json.article).toMatchObject({ favorited: true, favoritesCount: 1 });
    expect((await call('GET', `/articles/${slug}`, users.bob.token)).json.article).toMatchObject({ favorited: false, favoritesCount: 1 });
    expect((await call('GET', '/articles?favorited=alice', null)).json.articlesCount).toBe(1);
    const unfav = await call('DELETE', `/articles/${slug}/favorite`, users.alice.token);
    expectAnswer(unfav, 'DeleteArticleFavorite', 200);
    expect(unfav.json.article).toMatchObject({ favorited: false, favoritesCount: 0 });
  });

  it('comments: readable by anyone, written with a token, deleted only by their author', async () => {
    expect((await call('POST', `/articles/${slug}/comments`, null, { comment: { body: 'Nice' } })).status).toBe(401);
    const made = await call('POST', `/articles/${slug}/comments`, users.alice.token, { comment: { body: 'Nice' } });
    expectAnswer(made, 'CreateArticleComment', 200);
    const id = made.json.comment.id;
    const list = await call('GET', `/articles/${slug}/comments`, null);
    expectAnswer(list, 'GetArticleComments', 200);
    expect(list.json.comments).toEqual([expect.objectContaining({ id, body: 'Nice', author: expect.objectContaining({ username: 'alice', following: false }) })]);
    expect((await call('DELETE', `/articles/${slug}/comments/${id}`, null)).status).toBe(401);
    expect((await call('DELETE', `/articles/${slug}/comments/${id}`, users.bob.token)).status).toBe(403);
    expectAnswer(await call('DELETE', `/articles/${slug}/comments/${id}`, users.alice.token), 'DeleteArticleComment', 204);
    expect((await call('GET', `/articles/${slug}/comments`, null)).json.comments).toEqual([]);
  });

  it('GET /tags is public', async () => {
    const r = await call('GET', '/tags', null);
    expectAnswer(r, 'GetTags', 200);
    expect(r.json.tags).toEqual(['postgres', 'supabase']);
  });

  it('DELETE /articles/{slug}: another user 403, the author 204', async () => {
    expect((await call('DELETE', `/articles/${slug}`, null)).status).toBe(401);
    expect((await call('DELETE', `/articles/${slug}`, users.alice.token)).status).toBe(403);
    expectAnswer(await call('DELETE', `/articles/${slug}`, users.bob.token), 'DeleteArticle', 204);
    expect((await call('GET', `/articles/${slug}`, null)).status).toBe(404);
  });

  it('every request reached the database under the caller\'s role: anon, authenticated, service_role only for the admin', () => {
    const roles = new Set(c.postgrest.log.map((l) => l.role));
    expect([...roles].sort()).toEqual(['anon', 'authenticated', 'service_role']);
  });
});
