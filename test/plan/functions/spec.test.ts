import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../../src/errors';
import { loadSpec, parseSpec } from '../../../src/spec';

const API = `openapi: 3.1.0
info: { title: T, version: '1' }
paths:
  /courses:
    get: { operationId: listCourses, responses: {} }
  /courses/{id}/grade:
    post: { operationId: gradeCourse, responses: {} }
`;

function project(functions: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sm-fnspec-'));
  writeFileSync(join(dir, 'openapi.yaml'), API);
  writeFileSync(join(dir, 'migration.yaml'), `version: 1\nname: app\nfunctions:\n${functions}`);
  return join(dir, 'migration.yaml');
}

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return `${(err as Error).message}\n${(err as UserError).fix ?? ''}`;
  }
  throw new Error('expected an error');
}

describe('functions: in migration.yaml', () => {
  it('loads the document, overrides and endpoints', () => {
    const spec = loadSpec(project(`  openapi: openapi.yaml
  group_by: resource
  operations:
    listCourses: { table: public.courses, operation: select, verify_jwt: false }
    gradeCourse: { custom: "scores against the rubric" }
  endpoints:
    - { method: get, path: /health, custom: "answers ok" }
`), {});
    expect(spec.functions.openapi!.operations.map((o) => o.operationId)).toEqual(['listCourses', 'gradeCourse']);
    expect(spec.functions.openapi!.file).toBe('openapi.yaml');
    expect(spec.functions.groupBy).toBe('resource');
    expect(spec.functions.operations!.listCourses).toEqual({ table: 'public.courses', operation: 'select', verifyJwt: false, at: expect.stringMatching(/migration\.yaml:7:18$/) });
    expect(spec.functions.endpoints).toEqual([{ method: 'GET', path: '/health', custom: 'answers ok', at: expect.stringMatching(/migration\.yaml:10:7$/) }]);
  });

  it('leaves the section empty when the file has none', () => {
    expect(parseSpec('version: 1\nname: app\n', '/p/migration.yaml', {}).functions).toEqual({});
  });

  it('reports mappings that say two things, or keys of another kind, at their line and column', () => {
    const message = errorOf(() => parseSpec(`version: 1
name: app
functions:
  endpoints:
    - { method: POST, path: /a, table: public.a, rpc: do_a }
    - { method: GET, path: /b, filters: { id: "{id}" }, rpc: do_b }
    - { method: GET, path: /c }
`, '/p/migration.yaml', {}));
    expect(message).toContain('migration.yaml:5:7 functions.endpoints[0]: maps to table and rpc at once');
    expect(message).toContain('migration.yaml:6:32 functions.endpoints[1].filters: filters only applies to a table mapping');
    expect(message).toContain('migration.yaml:7:7 functions.endpoints[2]: says neither table, rpc nor custom');
  });

  it('rejects unknown keys and methods through the schema', () => {
    const message = errorOf(() => parseSpec('version: 1\nname: app\nfunctions:\n  endpoints:\n    - { method: TRACE, path: /a, custom: x }\n  openapi: api.txt\n', '/p/migration.yaml', {}));
    expect(message).toMatch(/migration\.yaml:5:\d+ functions\.endpoints\[0\]\.method/);
    expect(message).toMatch(/migration\.yaml:6:12 functions\.openapi/);
  });

  it('names an override whose operationId the document lacks, with the near one', () => {
    const message = errorOf(() => loadSpec(project('  openapi: openapi.yaml\n  operations:\n    listCourse: { custom: x }\n'), {}));
    expect(message).toMatch(/migration\.yaml:6:17 functions\.operations\.listCourse: openapi\.yaml has no operation "listCourse"[\s\S]*did you mean listCourses\?/);
  });

  it('says when the OpenAPI file is missing', () => {
    const file = project('  openapi: missing.yaml\n');
    expect(errorOf(() => loadSpec(file, {}))).toMatch(/missing\.yaml does not exist[\s\S]*functions\.openapi/);
  });
});

describe('locations that reach generated files', () => {
  it('name the files relative to the spec, whatever the working folder', () => {
    const file = project('  openapi: openapi.yaml\n  operations:\n    listCourses: { custom: x }\n');
    const here = process.cwd();
    const read = (cwd: string) => {
      process.chdir(cwd);
      try {
        const spec = loadSpec(file, {});
        return [spec.functions.openapi!.operations[0].at, spec.functions.operations!.listCourses.at];
      } finally {
        process.chdir(here);
      }
    };
    expect(read('/')).toEqual(['openapi.yaml:5:5', 'migration.yaml:6:18']);
    expect(read(join(file, '..'))).toEqual(read('/'));
  });
});
