import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { closeNamedPglite } from '../../../src/db';
import { runCli } from '../../helpers/cli';
import { gitProject } from '../../render/diff-fixture';

afterAll(() => closeNamedPglite());

const SEED = 'create table items (id int primary key, title text not null, owner_id uuid);';
const HANDLER = 'supabase/functions/items/handlers/archiveItem.ts';
const FUNCTIONS = 'functions:\n  openapi: openapi.yaml\n';

function openapi(bodyField: string): string {
  return `openapi: 3.0.3
info: { title: Items, version: '1' }
components:
  securitySchemes:
    bearer: { type: http, scheme: bearer }
paths:
  /items/{id}/archive:
    post:
      operationId: archiveItem
      tags: [items]
      security: [{ bearer: [] }]
      parameters: [{ name: id, in: path, required: true, schema: { type: integer } }]
      requestBody:
        required: true
        content:
          application/json:
            schema: { type: object, required: [${bodyField}], properties: { ${bodyField}: { type: string } } }
      responses:
        '200': { description: ok }
`;
}

const PORTED = `import type { RequestContext } from '../../_shared/router.ts';
import { json } from '../../_shared/http.ts';

// Ported by hand from the legacy service.
export default function handle(ctx: RequestContext): Promise<Response> {
  return Promise.resolve(json(200, { archived: ctx.params.id }));
}
`;

describe('hand-ported handlers are the user\'s', () => {
  it('survive re-planning, pass plan --check, and plan --diff names a contract that changed under them', async () => {
    const p = await gitProject(SEED);
    writeFileSync(join(p.dir, 'openapi.yaml'), openapi('reason'));
    p.writeSpec(FUNCTIONS);
    await p.change('');
    const stub = readFileSync(join(p.dir, HANDLER), 'utf8');
    expect(stub).toContain("notImplemented('archiveItem'");
    const lock = JSON.parse(readFileSync(join(p.dir, '.supamigrate/plan.lock.json'), 'utf8'));
    expect(lock.files.map((f: { path: string }) => f.path)).not.toContain(HANDLER);
    expect(lock.userOwned).toEqual([{ path: HANDLER, contract: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    await p.commit('plan with a stub');

    writeFileSync(join(p.dir, HANDLER), PORTED);
    expect(runCli(['plan'], { cwd: p.dir }).code).toBe(0);
    expect(readFileSync(join(p.dir, HANDLER), 'utf8')).toBe(PORTED);
    expect(runCli(['plan', '--check'], { cwd: p.dir }).code).toBe(0);
    await p.commit('port the handler');
    expect(runCli(['plan', '--diff', 'main~1'], { cwd: p.dir }).stdout).not.toContain('contract changed');

    // A generated file edited by hand is still caught, so the check above can fail.
    const index = join(p.dir, 'supabase/functions/items/index.ts');
    const generated = readFileSync(index, 'utf8');
    writeFileSync(index, `${generated}// edited\n`);
    expect(runCli(['plan', '--check'], { cwd: p.dir }).code).not.toBe(0);
    writeFileSync(index, generated);

    writeFileSync(join(p.dir, 'openapi.yaml'), openapi('note'));
    expect(runCli(['plan'], { cwd: p.dir }).code).toBe(0);
    expect(readFileSync(join(p.dir, HANDLER), 'utf8')).toBe(PORTED);
    expect(runCli(['plan', '--check'], { cwd: p.dir }).code).toBe(0);
    const diff = runCli(['plan', '--diff', 'main'], { cwd: p.dir });
    expect(diff.stdout).toContain(`\`${HANDLER}\` is hand-ported code whose contract changed since \`main\``);
    expect(diff.stdout).toContain('supabase/functions/_shared/contracts.ts');
  }, 120_000);

  it('a deleted handler comes back as the stub', async () => {
    const p = await gitProject(SEED);
    writeFileSync(join(p.dir, 'openapi.yaml'), openapi('reason'));
    p.writeSpec(FUNCTIONS);
    await p.change('');
    const stub = readFileSync(join(p.dir, HANDLER), 'utf8');
    writeFileSync(join(p.dir, HANDLER), '');
    runCli(['plan'], { cwd: p.dir });
    expect(readFileSync(join(p.dir, HANDLER), 'utf8')).toBe('');
    rmSync(join(p.dir, HANDLER));
    expect(runCli(['plan', '--check'], { cwd: p.dir }).code).not.toBe(0);
    runCli(['plan'], { cwd: p.dir });
    expect(existsSync(join(p.dir, HANDLER)) && readFileSync(join(p.dir, HANDLER), 'utf8')).toBe(stub);
  }, 120_000);
});
