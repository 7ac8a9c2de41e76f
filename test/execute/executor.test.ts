import { closeNamedPglite, openDb, type Db } from '../../src/db';
import { ExecutionError } from '../../src/errors';
import { applySteps, type ExecutableStep, readCheckpoints, rollbackSteps, stepStatus, withAdvisoryLock } from '../../src/execute';
import { step } from '../../src/plan/schema/step';
import { freshDatabase, type FreshDatabase, itEach, TARGETS } from '../helpers/databases';

function executable(id: string, sql: string, down: string, file = 'supabase/migrations/20000101000100_t_pre_data.sql'): ExecutableStep {
  const s = step(id, 'pre-data', 'test', sql, down);
  return { ...s, type: 'sql', body: s.sql, file, line: 3 };
}

const steps = [
  executable('schema:app', 'create schema app;', 'drop schema app;'),
  executable('table:app.t', 'create table app.t (id int primary key, name text);', 'drop table app.t;'),
  executable('seed:app.t', "insert into app.t values (1, 'one');", 'delete from app.t where id = 1;'),
];

const tables = async (db: Db) =>
  (await db.query<{ name: string }>(`select table_schema || '.' || table_name as name from information_schema.tables where table_schema = 'app' order by 1`)).rows.map((r) => r.name);

describe.each(TARGETS)('executor on %s', (kind) => {
  let fresh: FreshDatabase;
  let db: Db;
  beforeEach(async () => {
    fresh = await freshDatabase(kind, 'exec');
    db = await openDb(fresh.url);
  });
  afterEach(async () => {
    await db.close();
    await fresh.drop();
  });
  afterAll(() => closeNamedPglite());

  it('applies every step with its checkpoint, then a second apply executes nothing', async () => {
    const first = await applySteps(db, steps);
    expect(first).toMatchObject({ ok: true, executed: 3, skipped: 0 });
    expect(await tables(db)).toEqual(['app.t']);
    expect((await readCheckpoints(db)).map((c) => c.stepId)).toEqual(steps.map((s) => s.id));
    const second = await applySteps(db, steps);
    expect(second).toMatchObject({ ok: true, executed: 0, skipped: 3 });
    const history = await db.query<{ version: string }>('select version from supabase_migrations.schema_migrations');
    expect(history.rows).toEqual([{ version: '20000101000100' }]);
  });

  it('dry run checks every step and leaves nothing behind', async () => {
    const r = await applySteps(db, steps, { dryRun: true });
    expect(r.ok).toBe(true);
    expect(r.steps.map((s) => s.status)).toEqual(['checked', 'checked', 'checked']);
    expect(await tables(db)).toEqual([]);
    expect(await readCheckpoints(db)).toEqual([]);
  });

  it('stops at a failing step with file, line and caret; earlier steps stay applied', async () => {
    const broken = [...steps.slice(0, 2), executable('bad:app.t', 'insert into app.t values (1, 2, 3);', 'select 1;')];
    const r = await applySteps(db, broken);
    expect(r.ok).toBe(false);
    expect(r.steps.map((s) => s.status)).toEqual(['executed', 'executed', 'failed']);
    expect(r.error).toMatch(/^supabase\/migrations\/20000101000100_t_pre_data\.sql:3:\d+: INSERT has more expressions than target columns/);
    expect(r.error).toContain('^');
    expect(r.error).toContain('code: 42601');
    expect((await readCheckpoints(db)).map((c) => c.stepId)).toEqual(['schema:app', 'table:app.t']);
    // Fixing the step and applying again resumes after the last checkpoint.
    const fixed = await applySteps(db, steps);
    expect(fixed).toMatchObject({ ok: true, executed: 1, skipped: 2 });
  });

  it('refuses a changed step whose replacement would drop a table, and runs nothing', async () => {
    await applySteps(db, steps.slice(0, 2));
    const changed = [steps[0], executable('table:app.t', 'create table app.t (id bigint primary key);', 'drop table app.t;'), steps[2]];
    await expect(applySteps(db, changed)).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('app.t: replace table:app.t') });
    expect(await stepStatus(db, changed)).toMatchObject({ applied: 1, changed: 1, pending: 1 });
    expect(await tables(db)).toEqual(['app.t']);
  });

  it('rolls back to a checkpoint and then all the way', async () => {
    await applySteps(db, steps);
    const partial = await rollbackSteps(db, { to: 'table:app.t' });
    expect(partial).toMatchObject({ ok: true, undone: [{ id: 'seed:app.t' }], remaining: 2 });
    expect((await db.query('select * from app.t')).rows).toEqual([]);
    expect((await db.query('select version from supabase_migrations.schema_migrations')).rows).toEqual([]);
    const all = await rollbackSteps(db, { all: true });
    expect(all).toMatchObject({ ok: true, remaining: 0 });
    expect(await tables(db)).toEqual([]);
    expect((await db.query(`select 1 from pg_namespace where nspname = 'app'`)).rows).toEqual([]);
  });

  it('refuses an unknown checkpoint as a user error', async () => {
    await applySteps(db, steps);
    await expect(rollbackSteps(db, { to: 'nope' })).rejects.toMatchObject({ exitCode: 2 });
  });
});

describe('advisory lock', () => {
  itEach(TARGETS.filter((t) => t === 'server'), 'a second apply on %s fails at once while the first holds the lock', async (kind) => {
    const fresh = await freshDatabase(kind, 'lock');
    const a = await openDb(fresh.url);
    const b = await openDb(fresh.url);
    try {
      await withAdvisoryLock(a, async () => {
        await expect(applySteps(b, steps)).rejects.toThrow(ExecutionError);
        await expect(applySteps(b, steps)).rejects.toThrow(/another supamigrate run holds the lock on this target \(backend pid \d+/);
      });
      expect((await applySteps(b, steps)).executed).toBe(3);
    } finally {
      await a.close();
      await b.close();
      await fresh.drop();
    }
  });
});
