import { closeNamedPglite, withDb } from '../../src/db';
import { readSnapshot } from '../../src/commands/project';
import { securityMatrixLines } from '../../src/cli/render/security';
import { securityMatrix, type SecurityMatrix } from '../../src/validate/security';
import { lintDatabase } from '../../src/validate/lints';
import { TARGETS } from '../helpers/databases';
import { applyExample, type AppliedExample } from '../e2e/security-helpers';

const cell = (m: SecurityMatrix, table: string, actor: string, operation: string) => m.cells.find((c) => c.table === table && c.actor === actor && c.operation === operation);

describe.each(TARGETS)('security matrix of the example on %s', (kind) => {
  let ex: AppliedExample;
  let matrix: SecurityMatrix;
  beforeAll(async () => {
    ex = await applyExample(kind);
    // The source's own lints, so that those the plan carried are told apart from those it caused.
    const sourceLints = await withDb(ex.source.url, (db) => lintDatabase(db, ['public'], { tolerant: true }));
    matrix = await withDb(ex.target.ownerUrl, (db) => securityMatrix(db, readSnapshot(ex.spec), ex.spec, sourceLints));
  });
  afterAll(async () => {
    await ex?.drop();
    await closeNamedPglite();
  });

  it('every cell is as the spec says', () => {
    const differing = securityMatrixLines(matrix).filter((l) => l.startsWith('differs'));
    expect(differing).toEqual([]);
    expect(matrix.ok).toBe(true);
    expect(matrix.cells.length).toBeGreaterThan(300);
  });

  it('probes every pattern and both outcomes', () => {
    expect(matrix.unprobed).toEqual([]);
    expect(cell(matrix, 'public.submissions', 'owner', 'update')).toMatchObject({ expected: true, actual: true });
    expect(cell(matrix, 'public.submissions', 'other_user', 'select')).toMatchObject({ expected: false, actual: false });
    expect(cell(matrix, 'public.submissions', 'anon', 'select')).toMatchObject({ expected: false, actual: false });
    expect(cell(matrix, 'public.users', 'other_tenant', 'select')).toMatchObject({ expected: false, actual: false });
    expect(cell(matrix, 'public.users', 'other_user', 'select')).toMatchObject({ expected: true, actual: true });
    expect(cell(matrix, 'public.courses', 'role_holder', 'update')).toMatchObject({ expected: true, actual: true });
    expect(cell(matrix, 'public.courses', 'other_user', 'update')).toMatchObject({ expected: false, actual: false });
    expect(cell(matrix, 'public.courses', 'role_holder', 'insert')).toMatchObject({ expected: true, actual: true });
    expect(cell(matrix, 'public.audit_log', 'service_role', 'select')).toMatchObject({ expected: true, actual: true });
    expect(cell(matrix, 'public.audit_log', 'owner', 'select')).toMatchObject({ expected: false, actual: false });
    expect(cell(matrix, 'public.subjects', 'other_user', 'select')).toMatchObject({ expected: true, actual: true });
    expect(cell(matrix, 'public.subjects', 'anon', 'select')).toMatchObject({ expected: false, actual: false });
  });

  it('leaves the target as it was', async () => {
    const again = await withDb(ex.target.ownerUrl, (db) => securityMatrix(db, readSnapshot(ex.spec), ex.spec));
    expect(again.cells).toEqual(matrix.cells);
  });

  it('reports a policy or grant that opens more or less than the spec', async () => {
    await withDb(ex.target.url, (db) => db.exec(`
      drop policy "authenticated can select" on public.submissions;
      create policy "authenticated can select" on public.submissions for select to authenticated using (true);
      revoke select on public.subjects from authenticated;`));
    const broken = await withDb(ex.target.ownerUrl, (db) => securityMatrix(db, readSnapshot(ex.spec), ex.spec));
    expect(broken.ok).toBe(false);
    const differing = broken.cells.filter((c) => c.actual !== c.expected).map((c) => `${c.table} ${c.actor} ${c.operation} ${c.actual}`);
    expect(differing).toEqual(expect.arrayContaining(['public.submissions other_user select true', 'public.subjects other_user select false', 'public.subjects owner select false']));
    expect(securityMatrixLines(broken)).toContainEqual(expect.stringMatching(/cells differ from the spec/));
  });
});
