import { dirname } from 'node:path';
import { closeNamedPglite, withDb } from '../../src/db';
import { TARGETS } from '../helpers/databases';
import { runCli } from '../helpers/cli';
import { applyExample, type AppliedExample } from './security-helpers';

// Spawns the built CLI: `npm run build` first (npm test does).
describe.each(TARGETS)('validate --security on %s', (kind) => {
  let ex: AppliedExample;
  const validate = (json: boolean) =>
    runCli(['validate', '--security', ...(json ? ['--json'] : [])], {
      cwd: dirname(ex.spec.file),
      env: { SOURCE_DATABASE_URL: 'pglite://memory', SUPABASE_DB_URL: ex.target.ownerUrl },
    });
  beforeAll(async () => {
    ex = await applyExample(kind, { shareable: true });
    await closeNamedPglite();
  });
  afterAll(async () => {
    await ex?.drop();
  });

  it('prints the matrix and exits 0 when every cell is as the spec says', () => {
    const r = validate(false);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^public\.submissions +owner +y +y +y +- *$/m);
    expect(r.stdout).toMatch(/^public\.submissions +anon +- +- +- +- *$/m);
    expect(r.stdout).toMatch(/security matrix: \d+ cells, all as the spec says/);
    expect(r.code).toBe(0);
  });

  it('exits 1 with the differing cells in JSON when the target opens more than the spec', async () => {
    await withDb(ex.target.url, (db) => db.exec('grant select on public.audit_log to anon; create policy leak on public.audit_log for select to anon using (true);'));
    const r = validate(true);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { ok: boolean; security: { cells: { table: string; actor: string; operation: string; expected: boolean; actual: boolean }[] } };
    expect(out.ok).toBe(false);
    expect(out.security.cells.filter((c) => c.actual !== c.expected).map((c) => `${c.table} ${c.actor} ${c.operation}`)).toEqual(['public.audit_log anon select']);
  });
});
