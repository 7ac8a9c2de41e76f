import { closeNamedPglite, openDb, type Db } from '../../src/db';
import { applySteps, readCheckpoints, type SqlStep } from '../../src/execute';
import type { TableState } from '../../src/plan/evolve';
import { step } from '../../src/plan/schema/step';
import { describeEach, freshDatabase, type FreshDatabase, TARGETS } from '../helpers/databases';

const state = (notNull: boolean): TableState => ({
  schema: 'app',
  name: 't',
  columns: [
    { name: 'id', type: 'integer', collation: null, default: null, identity: null, generated: null, notNull: true, comment: null },
    { name: 'note', type: 'text', collation: null, default: null, identity: null, generated: null, notNull, comment: null },
  ],
  checks: [],
  comment: null,
  shape: 'r|||||d',
});

const sqlStep = <T extends { sql: string }>(s: T) => ({ ...s, type: 'sql' as const, body: s.sql });

function table(notNull: boolean): SqlStep {
  const s = step('table:app.t', 'pre-data', 'table', `create table "app"."t" ("id" integer not null, "note" text${notNull ? ' not null' : ''});`, 'drop table "app"."t";');
  return { ...s, type: 'sql', body: s.sql, file: 'supabase/migrations/20000101000100_t_pre_data.sql', line: 3, state: state(notNull) };
}
const schema: SqlStep = sqlStep({ ...step('schema:app', 'pre-data', 'schema', 'create schema "app";', 'drop schema "app";'), file: 'supabase/migrations/20000101000100_t_pre_data.sql', line: 1 });
const policyStep = (using: string): SqlStep => sqlStep({
  ...step('policy:app.t.p', 'security', 'policy', `alter table "app"."t" enable row level security;\ncreate policy "p" on "app"."t" using (${using});`, 'drop policy "p" on "app"."t";\nalter table "app"."t" disable row level security;'),
  file: 'supabase/migrations/20000101000400_t_security.sql',
  line: 3,
});

describeEach(TARGETS, 'evolution in the executor on %s', (kind) => {
  let fresh: FreshDatabase;
  let db: Db;
  beforeEach(async () => {
    fresh = await freshDatabase(kind, 'evexec');
    db = await openDb(fresh.url);
    await db.exec('create schema if not exists supabase_migrations');
  });
  afterEach(async () => {
    await db.close();
    await fresh.drop();
  });
  afterAll(() => closeNamedPglite());

  it('a failing evolution step takes the whole evolution back: schema, checkpoints and history unchanged', async () => {
    expect((await applySteps(db, [schema, table(false), policyStep('true')])).ok).toBe(true);
    await db.exec(`insert into app.t values (1, null)`);
    const before = await readCheckpoints(db);
    // A new policy (replaced in the same transaction) and a not null the rows do not satisfy.
    const r = await applySteps(db, [schema, table(true), policyStep('id > 0')]);
    expect(r.ok).toBe(false);
    expect(r.failed).toBe(1);
    expect(r.error).toMatch(/^evolution step evolve:[0-9a-f]{12}:2:alter:table:app\.t:1: column "note" of relation "t" contains null values/);
    expect(r.evolution?.steps.map((s) => [s.action, s.status])).toEqual([['retire', 'not-run'], ['alter', 'failed']]);
    expect(await readCheckpoints(db)).toEqual(before);
    const policy = await db.query<{ qual: string }>(`select qual from pg_policies where tablename = 't'`);
    expect(policy.rows).toEqual([{ qual: 'true' }]);
    // Once the rows allow it, the same plan goes through, and a second apply does nothing.
    await db.exec(`update app.t set note = 'n'`);
    const ok = await applySteps(db, [schema, table(true), policyStep('id > 0')]);
    expect(ok.error).toBeNull();
    expect(ok.steps.map((s) => s.status)).toEqual(['skipped', 'evolved', 'executed']);
    expect((await applySteps(db, [schema, table(true), policyStep('id > 0')])).evolution).toBeNull();
    const history = await db.query<{ version: string; statements: string[] }>('select version, statements from supabase_migrations.schema_migrations order by 1');
    expect(history.rows.map((h) => [h.version, h.statements.join('')])).toEqual([
      ['20000101000100', schema.sql + table(true).sql],
      ['20000101000400', policyStep('id > 0').sql],
    ]);
  });
});
