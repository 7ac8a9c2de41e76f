import type { ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openDb } from '../../src/db';
import { introspect, snapshotToJson } from '../../src/introspect';
import { runCli } from '../helpers/cli';
import { buildPlan } from '../../src/plan';
import { loadSpec } from '../../src/spec';
import { EXAMPLE_DIR } from '../helpers/sources';
import { denoCheck, serveFunctions } from './functions/deno';
import { startPostgrest, type CapturedRequest } from './functions/postgrest';
import { UNSEEN_OPENAPI, unseenSnapshot } from './functions/unseen';
import { AuthStandIn } from './functions/gotrue';
import { specFor } from '../helpers/spec';
import { parseOpenApi } from '../../src/openapi';

const COURSE = '3f2b8c1e-0d4a-4b6e-9a51-2c7d8e9f0a1b';
const MISSING = '00000000-0000-4000-8000-000000000000';
const STUDENT = '7a1c2d3e-4f50-4617-8899-aabbccddeeff';
const ANON_KEY = 'anon-key-for-tests';
const JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
const auth = new AuthStandIn(JWT_SECRET, 'http://127.0.0.1/auth/v1');
const student = auth.seed('student@school.example', 'correct horse');
const TOKEN = `Bearer ${auth.tokenFor(student)}`;
const FUNCTIONS = ['courses', 'enrollment', 'files', 'grading', 'lessons', 'search'];

let dir: string;
let functionsDir: string;
let postgrest: Awaited<ReturnType<typeof startPostgrest>>;
let deno: { urls: Record<string, string>; child: ChildProcess } | undefined;

/** PostgREST's answers: a course row unless the filter asks for the missing one; rpc results by name. */
function answer(r: CapturedRequest): { status: number; body: unknown } {
  if (r.resource === 'courses') return { status: 200, body: r.filters.some((f) => f.value === MISSING) ? [] : [{ id: COURSE, title: 'Algebra I' }] };
  if (r.resource === 'lessons' && r.method === 'POST') return { status: 201, body: [{ id: 11, ...(r.body as object) }] };
  if (r.resource === 'rpc/course_progress') return { status: 200, body: 42.5 };
  if (r.resource === 'rpc/search_lessons') return { status: 200, body: [{ id: 3, title: 'Fractions' }] };
  if (r.resource === 'rpc/enroll_student') return { status: 200, body: 'e0e0e0e0-0000-4000-8000-000000000001' };
  if (r.resource === 'rpc/match_content_embeddings') return { status: 200, body: [{ id: 1, lesson_id: 3, chunk: 'a fraction is', similarity: 0.91 }] };
  return { status: 404, body: { code: 'PGRST205', message: `Could not find ${r.resource}` } };
}

beforeAll(async () => {
  // The example's schema, introspected from PGlite, planned with the example spec.
  const db = await openDb('pglite://memory');
  let snapshot;
  try {
    await db.exec(readFileSync(join(EXAMPLE_DIR, 'source/schema.sql'), 'utf8'));
    snapshot = await introspect(db);
  } finally {
    await db.close();
  }
  dir = mkdtempSync(join(tmpdir(), 'sm-functions-'));
  copyFileSync(join(EXAMPLE_DIR, 'migration.yaml'), join(dir, 'migration.yaml'));
  copyFileSync(join(EXAMPLE_DIR, 'openapi.yaml'), join(dir, 'openapi.yaml'));
  mkdirSync(join(dir, '.supamigrate'));
  writeFileSync(join(dir, '.supamigrate/snapshot.json'), snapshotToJson(snapshot));
  const plan = buildPlan(loadSpec(join(dir, 'migration.yaml'), {}), snapshot);
  for (const f of plan.files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
  functionsDir = join(dir, 'supabase/functions');
  // A document in the style of public ones, planned into its own folder next to the example's.
  const openapi = parseOpenApi(JSON.stringify(UNSEEN_OPENAPI), 'petstore.json', true);
  const unseen = specFor(join(dir, 'unseen'), { functions: { openapi, operations: { 'pets.create': { edge: true, at: 'migration.yaml:1:1' } } } });
  for (const f of buildPlan(unseen, unseenSnapshot()).files) {
    mkdirSync(dirname(join(dir, 'unseen', f.path)), { recursive: true });
    writeFileSync(join(dir, 'unseen', f.path), f.content);
  }
  postgrest = await startPostgrest(answer, auth);
  const env = { SUPABASE_URL: postgrest.url, SUPABASE_ANON_KEY: ANON_KEY };
  deno = await serveFunctions(functionsDir, FUNCTIONS, env);
}, 150_000);

afterAll(async () => {
  deno?.child.kill();
  await new Promise((resolve) => postgrest?.server.close(resolve));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const call = (fn: string, path: string, init: RequestInit = {}) => fetch(`${deno!.urls[fn]}${path}`, init);
const authed = (method: string, body?: unknown): RequestInit => ({
  method,
  headers: { Authorization: TOKEN, 'Content-Type': 'application/json' },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

/** Runs a request and returns what it sent to PostgREST (nothing, for requests stopped before the database). */
async function captured(run: () => Promise<Response>): Promise<{ res: Response; json: any; sent: CapturedRequest[] }> {
  const before = postgrest.requests.length;
  const res = await run();
  const text = await res.text();
  return { res, json: text ? JSON.parse(text) : null, sent: postgrest.requests.slice(before) };
}

describe('generated edge functions of the example', () => {
  it('are the functions the plan groups by tag, each with a deno.json and a config.toml entry', () => {
    const config = readFileSync(join(dir, 'supabase/config.toml'), 'utf8');
    for (const name of FUNCTIONS) {
      expect(JSON.parse(readFileSync(join(functionsDir, name, 'deno.json'), 'utf8')).imports['@supabase/supabase-js']).toBe('npm:@supabase/supabase-js@2');
      expect(config).toContain(`[functions.${name}]\nverify_jwt = ${name === 'courses' ? 'false' : 'true'}`);
    }
  });

  it('type-check with deno check against database.types.ts and the contracts (and those of an unseen document)', () => {
    // Every function's deno.json is the same, so one run checks all the entry points.
    const unseen = readdirSync(join(dir, 'unseen/supabase/functions')).filter((n) => !n.startsWith('_') && !n.endsWith('.md')).sort();
    expect(unseen).toEqual(['files', 'pets', 'store']);
    const entries = [...FUNCTIONS.map((n) => `${n}/index.ts`), ...unseen.map((n) => `../../unseen/supabase/functions/${n}/index.ts`)];
    const r = denoCheck(functionsDir, join(functionsDir, 'courses/deno.json'), entries);
    expect(r.output).not.toMatch(/error/i);
    expect(r.code).toBe(0);
  }, 120_000);

  it('a misspelt column does not type-check', () => {
    const source = readFileSync(join(functionsDir, 'courses/index.ts'), 'utf8');
    writeFileSync(join(functionsDir, 'courses/broken.ts'), source.replace(".eq('id',", ".eq('idd',"));
    const r = denoCheck(functionsDir, join(functionsDir, 'courses/deno.json'), ['courses/broken.ts']);
    rmSync(join(functionsDir, 'courses/broken.ts'));
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/idd/);
  }, 120_000);

  it.each(FUNCTIONS)('%s answers the CORS preflight and puts CORS on every response', async (fn) => {
    const pre = await call(fn, '/anything', { method: 'OPTIONS', headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST' } });
    expect(pre.status).toBe(200);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')).toBe('authorization, x-client-info, apikey, content-type');
    const missing = await captured(() => call(fn, '/no/such/route', authed('GET')));
    expect(missing.res.status).toBe(404);
    expect(missing.res.headers.get('access-control-allow-origin')).toBe('*');
    expect(missing.sent).toEqual([]);
  });

  it.each([
    ['enrollment', 'POST', `/courses/${COURSE}/enroll`],
    ['files', 'POST', '/files/upload-url'],
    ['grading', 'POST', `/submissions/${COURSE}/grade`],
    ['lessons', 'POST', '/modules/4/lessons'],
    ['search', 'POST', '/search'],
    ['courses', 'GET', `/courses/${COURSE}/progress?user_id=${STUDENT}`],
  ])('%s %s %s without a token is 401 and never reaches the database', async (fn, method, path) => {
    const r = await captured(() => call(fn, path, { method, headers: { 'Content-Type': 'application/json' }, body: method === 'GET' ? undefined : '{}' }));
    expect(r.res.status).toBe(401);
    expect(r.json.error).toBe('missing authorization');
    expect(r.res.headers.get('access-control-allow-origin')).toBe('*');
    expect(r.sent).toEqual([]);
  });

  it.each([
    ['lessons', 'POST', '/modules/4/lessons', { position: 0, title: '', extra: 1 }, ['body.extra', 'body.position', 'body.title']],
    ['lessons', 'POST', '/modules/x/lessons', { position: 1, title: 'Intro' }, ['path.moduleId']],
    ['lessons', 'GET', '/lessons/search?query=a', undefined, ['query.query']],
    ['enrollment', 'POST', `/courses/${COURSE}/enroll`, { user_id: 'not-a-uuid' }, ['body.user_id']],
    ['enrollment', 'POST', `/courses/${COURSE}/enroll`, undefined, ['body']],
    ['grading', 'POST', `/submissions/${COURSE}/grade`, { score: 101, feedback: 'x'.repeat(2001) }, ['body.feedback', 'body.score']],
    ['files', 'POST', '/files/upload-url', { file_name: 'a.exe', mime_type: 'application/x-msdownload', size_bytes: 0 }, ['body.mime_type', 'body.size_bytes']],
    ['search', 'POST', '/search', { query_embedding: [0.1, 0.2], match_count: 500 }, ['body.match_count', 'body.query_embedding']],
    ['courses', 'GET', '/courses/not-a-uuid', undefined, ['path.courseId']],
    ['courses', 'GET', `/courses/${COURSE}/progress`, undefined, ['query.user_id']],
  ])('%s %s %s with invalid input is 400 naming the fields', async (fn, method, path, body, fields) => {
    const r = await captured(() => call(fn, path, authed(method, body)));
    expect(r.res.status).toBe(400);
    expect(r.json.error).toBe('invalid request');
    expect([...new Set(r.json.fields.map((f: { field: string }) => f.field))].sort()).toEqual(fields);
    expect(r.sent).toEqual([]);
  });

  it('rejects a body that is not JSON with 400', async () => {
    const r = await captured(() => call('enrollment', `/courses/${COURSE}/enroll`, { method: 'POST', headers: { Authorization: TOKEN }, body: '{"user_id":' }));
    expect(r.res.status).toBe(400);
    expect(r.json.fields).toEqual([{ field: 'body', message: 'is not valid JSON' }]);
  });

  it('GET /courses/{id} reads the course through PostgREST with the caller token', async () => {
    const r = await captured(() => call('courses', `/courses/${COURSE}`, authed('GET')));
    expect(r.res.status).toBe(200);
    expect(r.json).toEqual({ id: COURSE, title: 'Algebra I' });
    expect(r.sent).toHaveLength(1);
    const sent = r.sent[0];
    expect([sent.method, sent.path, sent.select]).toEqual(['GET', '/rest/v1/courses', '*']);
    expect(sent.filters).toEqual([{ column: 'id', operator: 'eq', value: COURSE }]);
    expect(sent.authorization).toBe(TOKEN);
    expect(sent.apikey).toBe(ANON_KEY);
  });

  it('GET /courses/{id} is public (security: []): without a token PostgREST sees the anon key, and a missing row is 404', async () => {
    const r = await captured(() => call('courses', `/courses/${MISSING}`));
    expect(r.res.status).toBe(404);
    expect(r.sent).toHaveLength(1);
    expect(r.sent[0].authorization).toBe(`Bearer ${ANON_KEY}`);
    expect(r.sent[0].filters).toEqual([{ column: 'id', operator: 'eq', value: MISSING }]);
  });

  it('a public route checks a token it is sent (verify_jwt = false): a forged one is 401, Token <jwt> works like Bearer', async () => {
    const forged = await captured(() => call('courses', `/courses/${COURSE}`, { headers: { Authorization: `Bearer ${auth.tokenFor(student, 'another-secret-of-at-least-32-characters')}` } }));
    expect(forged.res.status).toBe(401);
    expect(forged.json.error).toBe('invalid token');
    expect(forged.sent).toEqual([]);
    const legacy = await captured(() => call('courses', `/courses/${COURSE}`, { headers: { Authorization: TOKEN.replace('Bearer', 'Token') } }));
    expect(legacy.res.status).toBe(200);
    expect(legacy.sent[0].authorization).toBe(TOKEN);
  });

  it('POST /modules/{moduleId}/lessons inserts the body with the module from the path', async () => {
    const r = await captured(() => call('lessons', '/modules/4/lessons', authed('POST', { position: 2, title: 'Fractions', duration_minutes: 30 })));
    expect(r.res.status).toBe(201);
    expect(r.json).toEqual({ id: 11, position: 2, title: 'Fractions', duration_minutes: 30, module_id: 4 });
    const sent = r.sent[0];
    expect([sent.method, sent.path]).toEqual(['POST', '/rest/v1/lessons']);
    expect(sent.body).toEqual({ position: 2, title: 'Fractions', duration_minutes: 30, module_id: 4 });
    expect(sent.prefer).toContain('return=representation');
    expect(sent.authorization).toBe(TOKEN);
  });

  it.each([
    ['courses', 'GET', `/courses/${COURSE}/progress?user_id=${STUDENT}`, undefined, 'rpc/course_progress', { p_course_id: COURSE, p_user_id: STUDENT }, 42.5],
    ['lessons', 'GET', '/lessons/search?query=fraction', undefined, 'rpc/search_lessons', { p_query: 'fraction' }, [{ id: 3, title: 'Fractions' }]],
    ['enrollment', 'POST', `/courses/${COURSE}/enroll`, { user_id: STUDENT }, 'rpc/enroll_student', { p_course_id: COURSE, p_user_id: STUDENT }, 'e0e0e0e0-0000-4000-8000-000000000001'],
  ])('%s %s %s calls the database function as the caller', async (fn, method, path, body, resource, args, result) => {
    const r = await captured(() => call(fn, path, authed(method, body)));
    expect(r.res.status).toBe(200);
    expect(r.json).toEqual(result);
    expect(r.sent).toHaveLength(1);
    expect([r.sent[0].method, r.sent[0].path]).toEqual(['POST', `/rest/v1/${resource}`]);
    expect(r.sent[0].body).toEqual(args);
    expect(r.sent[0].authorization).toBe(TOKEN);
  });

  it('POST /search sends the embedding to match_content_embeddings', async () => {
    const embedding = Array.from({ length: 1536 }, (_, i) => (i % 7) / 10);
    const r = await captured(() => call('search', '/search', authed('POST', { query_embedding: embedding, match_threshold: 0.5, match_count: 5 })));
    expect(r.res.status).toBe(200);
    expect(r.json[0].similarity).toBe(0.91);
    expect(r.sent[0].path).toBe('/rest/v1/rpc/match_content_embeddings');
    expect(r.sent[0].body).toEqual({ query_embedding: embedding, match_threshold: 0.5, match_count: 5 });
    expect(r.sent[0].authorization).toBe(TOKEN);
  });

  it.each([
    ['grading', `/submissions/${COURSE}/grade`, { score: 88, feedback: 'Good work' }, 'gradeSubmission'],
    ['files', '/files/upload-url', { file_name: 'essay.pdf', mime_type: 'application/pdf', size_bytes: 2048 }, 'createUploadUrl'],
  ])('%s: custom logic answers 501 naming the operation to port', async (fn, path, body, operation) => {
    const r = await captured(() => call(fn, path, authed('POST', body)));
    expect(r.res.status).toBe(501);
    expect(r.json.operation).toBe(operation);
    expect(r.json.source).toMatch(new RegExp(`^POST ${path.replace(COURSE, '{submissionId}').replace(/[{}]/g, '\\$&')} at .*:\\d+:\\d+$`));
    expect(r.sent).toEqual([]);
  });

  it('answers 405 with Allow for a known path and another method', async () => {
    const r = await call('lessons', '/lessons/search', authed('DELETE'));
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('GET');
  });
});

describe('the functions through the CLI', () => {
  it('analyze shows where each operation goes; plan --check agrees with the files written', () => {
    const analyzed = runCli(['analyze'], { cwd: dir });
    expect(analyzed.code).toBe(0);
    expect(analyzed.stdout).toContain('API (25 operations: 19 CRUD, 4 RPC, 2 custom; 17 direct supabase-js calls, 6 edge functions)');
    expect(analyzed.stdout).toMatch(/custom {2}POST \/submissions\/\{submissionId\}\/grade +gradeSubmission +fn grading/);
    const planned = runCli(['plan'], { cwd: dir });
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain('edge functions: courses (2), enrollment (1), files (1), grading (1), lessons (2), search (1)');
  }, 60_000);

  it('a $ref to a missing schema is a user error naming file, line, column and pointer', () => {
    const broken = mkdtempSync(join(tmpdir(), 'sm-functions-bad-'));
    copyFileSync(join(dir, 'migration.yaml'), join(broken, 'migration.yaml'));
    const text = readFileSync(join(dir, 'openapi.yaml'), 'utf8').replace("$ref: '#/components/schemas/GradeRequest'", "$ref: '#/components/schemas/GradeRequests'");
    writeFileSync(join(broken, 'openapi.yaml'), text);
    const r = runCli(['analyze'], { cwd: broken });
    rmSync(broken, { recursive: true, force: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/openapi\.yaml:\d+:\d+ #\/paths\/~1submissions~1\{submissionId\}~1grade\/post\/requestBody\/content\/application~1json\/schema\/\$ref: \$ref "#\/components\/schemas\/GradeRequests" points to nothing/);
    expect(r.stderr).toContain('did you mean "#/components/schemas/GradeRequest"?');
  }, 60_000);

  it('an operation mapped to a table that is not migrated stops plan with exit 2, naming both', () => {
    const other = mkdtempSync(join(tmpdir(), 'sm-functions-unmigrated-'));
    const yaml = readFileSync(join(dir, 'migration.yaml'), 'utf8')
      .replace('  include_schemas: [public, analytics]', '  include_schemas: [public, analytics]\n  exclude_tables: [public.documents]')
      .replace('  operations:\n', '  operations:\n    getDocument: { table: public.documents, operation: get }\n');
    writeFileSync(join(other, 'migration.yaml'), yaml);
    copyFileSync(join(dir, 'openapi.yaml'), join(other, 'openapi.yaml'));
    mkdirSync(join(other, '.supamigrate'));
    copyFileSync(join(dir, '.supamigrate/snapshot.json'), join(other, '.supamigrate/snapshot.json'));
    const r = runCli(['plan'], { cwd: other });
    rmSync(other, { recursive: true, force: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/migration\.yaml:\d+:\d+ getDocument \(GET \/documents\/\{documentId\}\) is mapped to public\.documents, which is not migrated/);
  }, 60_000);
});
