import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOpenApi, readOpenApi } from '../../../src/openapi';
import { UserError } from '../../../src/errors';
import { EXAMPLE_DIR } from '../../helpers/sources';

const DOC = (paths: string, extra = '') => `openapi: 3.1.0
info: { title: T, version: '1' }
paths:
${paths}
${extra}`;

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message + '\n' + ((err as UserError).fix ?? '');
  }
  throw new Error('expected an error');
}

describe('reading OpenAPI documents', () => {
  it('reads the example: operations sorted by path and method, shared parameters, bodies, responses, security', () => {
    const doc = readOpenApi(join(EXAMPLE_DIR, 'openapi.yaml'), 'openapi.yaml');
    expect(doc.version).toBe('3.1.0');
    expect(doc.operations).toHaveLength(25);
    expect(doc.operations.slice(0, 3).map((o) => `${o.method} ${o.path}`)).toEqual(['POST /assignments/{assignmentId}/submissions', 'GET /courses', 'POST /courses']);
    const get = doc.operations.find((o) => o.operationId === 'getCourse')!;
    expect(get.parameters).toEqual([{ name: 'courseId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }]);
    expect(get.requiresAuth).toBe(false);
    const create = doc.operations.find((o) => o.operationId === 'createCourse')!;
    expect(create.requiresAuth).toBe(true);
    expect(create.requestBody).toMatchObject({ schema: { $ref: '#/components/schemas/CourseCreate' }, required: true });
    expect(create.requestBody!.properties).toEqual(['code', 'description', 'price', 'school_id', 'subject_id', 'tags', 'term_id', 'title']);
    expect(create.response).toEqual({ status: 201, schema: { $ref: '#/components/schemas/Course' } });
    expect(create.at).toMatch(/^openapi\.yaml:\d+:\d+$/);
    const list = doc.operations.find((o) => o.operationId === 'listCourses')!;
    expect(list.parameters.map((p) => `${p.in}.${p.name}`)).toEqual(['query.limit', 'query.offset', 'query.school_id', 'query.subject_id']);
    expect(Object.keys(doc.schemas)).toContain('SearchRequest');
  });

  it('reads JSON too, and derives operationIds and undeclared path parameters', () => {
    const json = JSON.stringify({ openapi: '3.0.3', info: { title: 'x', version: '1' }, paths: { '/pets/{petId}/toys': { get: { responses: { '200': { description: 'ok' } } } } } });
    const doc = parseOpenApi(json, 'api.json', true);
    expect(doc.operations[0].operationId).toBe('getPetsByPetIdToys');
    expect(doc.operations[0].parameters).toEqual([{ name: 'petId', in: 'path', required: true, schema: { type: 'string' } }]);
    expect(doc.operations[0].requiresAuth).toBeNull();
  });

  it('names file, line and column of YAML that does not parse', () => {
    const text = DOC('  /a:\n    get:\n      operationId: a\n     responses: {}\n');
    expect(errorOf(() => parseOpenApi(text, 'openapi.yaml'))).toMatch(/^openapi\.yaml:7:\d+: YAML: /);
  });

  it('names file, line and column of JSON that does not parse', () => {
    const text = '{\n  "openapi": "3.1.0",\n  "paths": {\n    "/a": { "get": { } \n}\n';
    expect(errorOf(() => parseOpenApi(text, 'api.json', true))).toMatch(/^api\.json:\d+:\d+: JSON: /);
  });

  it('names the location and JSON pointer of a $ref to a missing schema, and suggests the near name', () => {
    const text = DOC(
      `  /courses:
    post:
      requestBody:
        content:
          application/json:
            schema: { $ref: '#/components/schemas/CourseCreat' }
      responses: { '201': { description: ok } }`,
      'components:\n  schemas:\n    CourseCreate: { type: object }\n',
    );
    const message = errorOf(() => parseOpenApi(text, 'openapi.yaml'));
    expect(message).toContain('openapi.yaml:9:29 #/paths/~1courses/post/requestBody/content/application~1json/schema/$ref: $ref "#/components/schemas/CourseCreat" points to nothing: components.schemas has no "CourseCreat"');
    expect(message).toContain('did you mean "#/components/schemas/CourseCreate"?');
  });

  it('reports every missing reference at once, and refuses references to other files', () => {
    const text = DOC(`  /a:
    get:
      parameters: [{ $ref: '#/components/parameters/Nope' }]
      responses: { '200': { $ref: 'common.yaml#/responses/Ok' } }`);
    const message = errorOf(() => parseOpenApi(text, 'openapi.yaml'));
    expect(message).toContain('$ref "#/components/parameters/Nope" points to nothing: components.parameters has no "Nope"');
    expect(message).toContain('$ref "common.yaml#/responses/Ok" points outside this document');
  });

  it('refuses Swagger 2.0 and documents without paths, saying what to do', () => {
    expect(errorOf(() => parseOpenApi('swagger: "2.0"\ninfo: {}\n', 'api.yaml'))).toMatch(/api\.yaml:1:\d+ #\/swagger: Swagger 2\.0 documents are not read[\s\S]*convert it to OpenAPI 3/);
    expect(errorOf(() => parseOpenApi('openapi: 3.1.0\ninfo: {}\n', 'api.yaml'))).toContain('paths is missing or not a mapping');
  });

  it('refuses two operations with the same operationId', () => {
    const text = DOC('  /a:\n    get: { operationId: same, responses: {} }\n  /b:\n    get: { operationId: same, responses: {} }\n');
    expect(errorOf(() => parseOpenApi(text, 'openapi.yaml'))).toMatch(/openapi\.yaml:\d+:\d+ #\/paths\/~1b\/get\/operationId: operationId "same" is also used by GET \/a/);
  });

  it('says when the file is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sm-openapi-'));
    writeFileSync(join(dir, 'x.yaml'), 'a: 1\n');
    expect(errorOf(() => readOpenApi(join(dir, 'nope.yaml'), 'nope.yaml'))).toMatch(/^nope\.yaml does not exist/);
  });
});
