import { UserError } from '../../../src/errors';
import type { Snapshot } from '../../../src/introspect/snapshot';
import { buildPlan } from '../../../src/plan';
import { classifyApi } from '../../../src/plan/functions';
import { renderClassification } from '../../../src/cli/render/functions';
import { parseOpenApi } from '../../../src/openapi';
import type { EndpointSpec, FunctionsSpec } from '../../../src/spec/functions';
import type { Spec } from '../../../src/spec/types';
import { column, emptySnapshot, table } from '../../helpers/snapshot';
import { mapping, specFor } from '../../helpers/spec';

const pk = (name: string, columns: string[]) => ({ name, kind: 'p' as const, definition: `PRIMARY KEY (${columns.join(', ')})`, columns, refTable: null, refColumns: [], validated: true, deferrable: false, comment: null });
const fk = (name: string, col: string, ref: string) => ({ name, kind: 'f' as const, definition: `FOREIGN KEY (${col}) REFERENCES ${ref}(id)`, columns: [col], refTable: ref, refColumns: ['id'], validated: true, deferrable: false, comment: null });

/** courses -> lessons, an enroll_student function, and a legacy schema the spec leaves out. */
function snapshot(): Snapshot {
  return emptySnapshot({
    schemas: [{ name: 'public', owner: 'postgres', comment: null }, { name: 'legacy', owner: 'postgres', comment: null }],
    tables: [
      table('public', 'courses', [column('id', 'uuid', { notNull: true }), column('title', 'text', { notNull: true }), column('school_id', 'uuid')], { constraints: [pk('courses_pkey', ['id'])] }),
      table('public', 'lessons', [column('id', 'int8', { notNull: true }), column('course_id', 'uuid', { notNull: true }), column('title', 'text')], { constraints: [pk('lessons_pkey', ['id']), fk('lessons_course_id_fkey', 'course_id', 'public.courses')] }),
      table('legacy', 'reports', [column('id', 'int4', { notNull: true })], { constraints: [pk('reports_pkey', ['id'])] }),
    ],
    functions: [{
      schema: 'public', name: 'enroll_student', identityArgs: 'p_user_id uuid, p_course_id uuid', kind: 'f', definition: 'create function ...', language: 'plpgsql', returns: 'uuid', returnsSet: false,
      securityDefiner: false, volatility: 'v', args: [{ name: 'p_user_id', type: 'uuid', mode: 'i', hasDefault: false }, { name: 'p_course_id', type: 'uuid', mode: 'i', hasDefault: false }], dependsOn: [], owner: 'postgres', comment: null,
    }],
  });
}

const at = 'migration.yaml:1:1';
const endpoint = (e: Omit<EndpointSpec, 'at'>): EndpointSpec => ({ ...e, at });
const ENDPOINTS: EndpointSpec[] = [
  endpoint({ method: 'GET', path: '/api/v1/courses', tag: 'courses' }),
  endpoint({ method: 'GET', path: '/api/v1/courses/{courseId}', tag: 'courses' }),
  endpoint({ method: 'GET', path: '/api/v1/courses/{courseId}/lessons', tag: 'courses' }),
  endpoint({ method: 'POST', path: '/api/v1/courses/{courseId}/enroll', operationId: 'enrollStudent', tag: 'Course Enrollment' }),
  endpoint({ method: 'POST', path: '/api/v1/reports/run', operationId: 'runReport', custom: 'renders the PDF report', verifyJwt: false }),
];

function specWith(functions: FunctionsSpec, over: Partial<Spec> = {}): Spec {
  return specFor('/p', { schema: mapping({ includeSchemas: ['public'] }), functions, ...over });
}

describe('classifying API operations', () => {
  it('infers plain CRUD through version prefixes, nested lists through the foreign key, RPC by name, and keeps custom logic', () => {
    const c = classifyApi(snapshot(), specWith({ endpoints: ENDPOINTS }));
    const row = (id: string) => c.operations.find((o) => o.operationId === id)!;
    expect(row('getApiV1Courses')).toMatchObject({ kind: 'crud', function: null, table: { schema: 'public', name: 'courses', operation: 'select', filters: [] } });
    expect(row('getApiV1CoursesCourseId').table).toMatchObject({ operation: 'get', filters: [{ column: 'id', value: { kind: 'param', name: 'courseId', in: 'path' }, type: 'string' }] });
    expect(row('getApiV1CoursesCourseIdLessons').table).toMatchObject({ name: 'lessons', operation: 'select', filters: [{ column: 'course_id', value: { kind: 'param', name: 'courseId' } }] });
    expect(row('enrollStudent')).toMatchObject({ kind: 'rpc', function: 'course-enrollment', requiresAuth: true, rpc: { name: 'enroll_student', known: true } });
    expect(row('enrollStudent').rpc!.args).toEqual([
      { name: 'p_course_id', value: { kind: 'param', name: 'courseId', in: 'path' }, type: 'string' },
      { name: 'p_user_id', value: { kind: 'body', field: 'p_user_id' }, type: 'string' },
    ]);
    expect(row('runReport')).toMatchObject({ kind: 'custom', function: 'reports', requiresAuth: false, reason: 'renders the PDF report' });
    expect(c.functions.map((f) => [f.name, f.verifyJwt])).toEqual([['course-enrollment', true], ['reports', false]]);
    // Deny by default: without a security pattern, the rows of a plain CRUD route reach service_role only.
    expect(c.findings.map((f) => `${f.severity} ${f.operationId}`)).toEqual([
      'warning getApiV1Courses',
      'warning getApiV1CoursesCourseId',
      'warning getApiV1CoursesCourseIdLessons',
    ]);
  });

  it('reports an operation mapped to a table that is not migrated, naming both; plan refuses it', () => {
    const spec = specWith({ endpoints: [...ENDPOINTS, endpoint({ method: 'GET', path: '/reports/{id}', operationId: 'getReport', table: 'legacy.reports', operation: 'get' })] });
    const c = classifyApi(snapshot(), spec);
    expect(c.findings.filter((f) => f.severity === 'error')).toEqual([{ severity: 'error', operationId: 'getReport', at, message: 'getReport (GET /reports/{id}) is mapped to legacy.reports, which is not migrated (the spec leaves it out)', fix: 'map it to a migrated table, include legacy.reports in schema:, or declare it custom' }]);
    expect(renderClassification(c).join('\n')).toContain('[error] getReport (GET /reports/{id}) is mapped to legacy.reports');
    expect(() => buildPlan(spec, snapshot())).toThrow(UserError);
    expect(() => buildPlan(spec, snapshot())).toThrow(/migration\.yaml:1:1 getReport \(GET \/reports\/\{id\}\) is mapped to legacy\.reports, which is not migrated/);
  });

  it('reports a table that does not exist and a filter on a missing column or parameter', () => {
    const spec = specWith({ endpoints: [
      endpoint({ method: 'GET', path: '/x', operationId: 'x', table: 'public.nope', operation: 'select' }),
      endpoint({ method: 'GET', path: '/y/{id}', operationId: 'y', table: 'public.courses', operation: 'get', filters: { idd: '{id}', school_id: '{school}' } }),
    ] });
    const messages = classifyApi(snapshot(), spec).findings.map((f) => f.message);
    expect(messages).toEqual([
      'x (GET /x) is mapped to public.nope, which is not a table of the source',
      'filter column idd is not a column of public.courses',
      'filter school_id: "{school}" is not a parameter of GET /y/{id}',
      'y (GET /y/{id}) selects public.courses, which no security pattern opens to anon or authenticated: only service_role reaches its rows',
    ]);
  });

  it('groups by resource when asked, and serves a table operation from a function with edge: true', () => {
    const spec = specWith({ groupBy: 'resource', endpoints: [endpoint({ method: 'GET', path: '/courses/{id}', operationId: 'getCourse', tag: 'catalog', table: 'public.courses', operation: 'get', edge: true }), ENDPOINTS[3]] });
    const c = classifyApi(snapshot(), spec);
    expect(c.operations.map((o) => [o.operationId, o.function])).toEqual([['enrollStudent', 'courses'], ['getCourse', 'courses']]);
    expect(c.operations[1].table!.filters[0]).toMatchObject({ column: 'id', value: { kind: 'param', name: 'id' } });
  });
});

describe('planning the functions', () => {
  const spec = specWith({ endpoints: ENDPOINTS });

  it('writes functions, shared code, contracts, API_MAPPING.md and config.toml, the same bytes twice', () => {
    const first = buildPlan(spec, snapshot());
    const second = buildPlan(spec, snapshot());
    expect(second.files).toEqual(first.files);
    const paths = first.files.map((f) => f.path).filter((p) => p.startsWith('supabase/functions') || p.endsWith('config.toml'));
    expect(paths).toEqual([
      'supabase/config.toml',
      'supabase/functions/API_MAPPING.md',
      'supabase/functions/_shared/contracts.ts',
      'supabase/functions/_shared/http.ts',
      'supabase/functions/_shared/router.ts',
      'supabase/functions/_shared/supabase.ts',
      'supabase/functions/_shared/validate.ts',
      'supabase/functions/course-enrollment/deno.json',
      'supabase/functions/course-enrollment/index.ts',
      'supabase/functions/reports/deno.json',
      'supabase/functions/reports/handlers/runReport.ts',
      'supabase/functions/reports/index.ts',
    ]);
    expect(first.files.filter((f) => f.owner === 'user').map((f) => f.path)).toEqual(['supabase/functions/reports/handlers/runReport.ts']);
    const file = (p: string) => first.files.find((f) => f.path === p)!.content;
    expect(file('supabase/config.toml')).toContain('[functions.course-enrollment]\nverify_jwt = true\n\n[functions.reports]\nverify_jwt = false\n');
    expect(file('supabase/functions/_shared/supabase.ts')).toContain("import type { Database } from '../../types/database.types.ts';");
    const enroll = file('supabase/functions/course-enrollment/index.ts');
    expect(enroll).toContain(".rpc('enroll_student', args)");
    expect(enroll).toContain("Deno.serve(serveRoutes('course-enrollment', routes, components, { verifyJwt: true }));");
    expect(file('supabase/functions/reports/index.ts')).toContain("import handleRunReport from './handlers/runReport.ts';");
    expect(file('supabase/functions/reports/handlers/runReport.ts')).toContain("notImplemented('runReport', 'POST /api/v1/reports/run at migration.yaml:1:1', 'port the legacy handler: renders the PDF report')");
    const doc = file('supabase/functions/API_MAPPING.md');
    expect(doc).toContain("| getApiV1CoursesCourseIdLessons | GET /api/v1/courses/{courseId}/lessons | required (assumed: the document declares no security) | `supabase.from('lessons').select('*').eq('course_id', courseId)` |");
  });

  it('follows types.output and output.supabase_dir', () => {
    const plan = buildPlan({ ...spec, output: { supabaseDir: 'sb', stateDir: '.s' }, types: { output: 'src/db/types.ts' } }, snapshot());
    const shared = plan.files.find((f) => f.path === 'sb/functions/_shared/supabase.ts')!;
    expect(shared.content).toContain("import type { Database } from '../../../src/db/types.ts';");
    expect(plan.files.some((f) => f.path === 'sb/config.toml')).toBe(true);
  });

  it('writes nothing for a spec without an API', () => {
    const plan = buildPlan(specWith({}), snapshot());
    expect(plan.files.filter((f) => f.path.includes('functions') || f.path.endsWith('config.toml'))).toEqual([]);
  });
});

describe('mappings written in the document (x-supabase)', () => {
  const doc = (extension: string) => `openapi: 3.1.0
info: { title: T, version: '1' }
paths:
  /courses/{courseId}/report:
    get:
      operationId: courseReport
      parameters: [{ name: courseId, in: path, required: true, schema: { type: string } }]
      x-supabase: ${extension}
      responses: {}
`;

  it('takes the extension, and lets the spec override it', () => {
    const openapi = parseOpenApi(doc('{ table: public.lessons, operation: select, filters: { course_id: "{courseId}" } }'), 'openapi.yaml');
    const fromDocument = classifyApi(snapshot(), specWith({ openapi }));
    expect(fromDocument.operations[0]).toMatchObject({ kind: 'crud', mappedBy: 'declared', table: { name: 'lessons', filters: [{ column: 'course_id', value: { kind: 'param', name: 'courseId' } }] } });
    const overridden = classifyApi(snapshot(), specWith({ openapi, operations: { courseReport: { custom: 'renders a PDF', at } } }));
    expect(overridden.operations[0]).toMatchObject({ kind: 'custom', reason: 'renders a PDF', function: 'courses', at });
  });

  it('refuses an extension that maps to two things, naming where it is written', () => {
    const openapi = parseOpenApi(doc('{ rpc: enroll_student, custom: "x" }'), 'openapi.yaml');
    expect(() => classifyApi(snapshot(), specWith({ openapi }))).toThrow(/^openapi\.yaml:5:5 courseReport x-supabase: maps to rpc and custom at once$/);
    const typo = parseOpenApi(doc('{ tabel: public.lessons }'), 'openapi.yaml');
    expect(() => classifyApi(snapshot(), specWith({ openapi: typo }))).toThrow(/^openapi\.yaml:5:5 courseReport x-supabase: unknown key tabel$/);
  });
});

describe('an item route named after a unique column', () => {
  it('finds the row by that column, not by the primary key (DELETE /articles/{slug})', () => {
    const unique = { ...pk('articles_slug_key', ['slug']), kind: 'u' as const, definition: 'UNIQUE (slug)' };
    const snap = emptySnapshot({
      schemas: [{ name: 'public', owner: 'postgres', comment: null }],
      tables: [
        table('public', 'articles', [column('id', 'int8', { notNull: true }), column('slug', 'text', { notNull: true })], {
          constraints: [pk('articles_pkey', ['id']), unique],
        }),
      ],
    });
    const endpoints = [
      endpoint({ method: 'DELETE', path: '/articles/{slug}', operationId: 'deleteArticle' }),
      endpoint({ method: 'PUT', path: '/articles/{id}', operationId: 'updateById' }),
    ];
    const c = classifyApi(snap, specWith({ endpoints }));
    const filters = (id: string) => c.operations.find((o) => o.operationId === id)!.table!.filters;
    expect(filters('deleteArticle')).toMatchObject([{ column: 'slug', value: { kind: 'param', name: 'slug', in: 'path' } }]);
    expect(filters('updateById')).toMatchObject([{ column: 'id', value: { kind: 'param', name: 'id', in: 'path' } }]);
  });
});
