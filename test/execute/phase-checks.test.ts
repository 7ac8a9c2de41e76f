import { closeNamedPglite, openDb, type Db } from '../../src/db';
import { applySteps, type ExecutableStep, readCheckpoints } from '../../src/execute';
import type { TableCopy } from '../../src/plan/data/types';
import { freshDatabase, type FreshDatabase, TARGETS } from '../helpers/databases';

const sqlStep = (id: string, sql: string): ExecutableStep => ({
  type: 'sql', id, phase: 'pre-data', kind: 'table', sql, body: sql, down: `-- undo ${id}`, checksum: `c-${id}`,
  file: 'supabase/migrations/20000101000100_t_pre_data.sql', line: 3,
});
const copy = { id: 'data:app.t', target: { schema: 'app', table: 't' } } as TableCopy;
const load: ExecutableStep = {
  type: 'table-copy', id: copy.id, phase: 'data', kind: 'data', copy, body: JSON.stringify(copy), down: '', checksum: 'c-data', file: null, line: 0,
};

describe.each(TARGETS)('phase checks on %s', (kind) => {
  let fresh: FreshDatabase;
  let db: Db;
  let loads: string[];
  const runData = async (steps: ExecutableStep[]) => {
    loads.push(...steps.map((s) => s.id));
    return new Map(steps.map((s) => [s.id, null] as [string, string | null]));
  };
  beforeEach(async () => {
    fresh = await freshDatabase(kind, 'phase');
    db = await openDb(fresh.url);
    loads = [];
  });
  afterEach(async () => {
    await db.close();
    await fresh.drop();
  });
  afterAll(() => closeNamedPglite());

  it('stops before the data phase when the schema fingerprint does not hold after pre-data', async () => {
    // The step says it creates app.t, but its SQL creates app.other: the objects do not match the plan.
    const steps = [sqlStep('schema:app', 'create schema app;'), sqlStep('table:app.t', 'create table app.other (id int);'), load];
    const r = await applySteps(db, steps, { runData });
    expect(loads).toEqual([]);
    expect(r.ok).toBe(false);
    expect(r.steps.map((s) => s.status)).toEqual(['executed', 'executed', 'not-run']);
    expect(r.failure).toMatchObject({ step: 'check:pre-data' });
    expect(r.failure?.message).toContain('relation app.t');
    expect(r.error).toContain('fix: the next phase did not start');
    // What ran stays committed with its checkpoints; the data step is still pending.
    expect((await readCheckpoints(db)).map((c) => c.stepId)).toEqual(['schema:app', 'table:app.t']);
  });

  it('goes on to the data phase when it holds', async () => {
    const steps = [sqlStep('schema:app', 'create schema app;'), sqlStep('table:app.t', 'create table app.t (id int);'), load];
    const r = await applySteps(db, steps, { runData });
    expect(r).toMatchObject({ ok: true, executed: 3, failure: null });
    expect(loads).toEqual(['data:app.t']);
  });

  it('carries a failed statement as data: code, position, file:line:column', async () => {
    const r = await applySteps(db, [sqlStep('schema:app', 'create schema app;\ncreate tabel app.t (id int);')]);
    expect(r.failure).toMatchObject({
      step: 'schema:app', code: '42601', file: 'supabase/migrations/20000101000100_t_pre_data.sql', line: 4,
    });
    expect(r.failure?.position).toBeGreaterThan(0);
    expect(r.error).toContain(`supabase/migrations/20000101000100_t_pre_data.sql:4:`);
  });
});
