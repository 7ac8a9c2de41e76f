import { openDb, withDb } from '../../../src/db';
import { applySteps, readCheckpoints, type ExecutableStep } from '../../../src/execute';
import { parallelGroup, runStepsInParallel } from '../../../src/execute/data/post-data';
import { describeEach, freshDatabase, type FreshDatabase } from '../../helpers/databases';

const step = (id: string, kind: string, sql: string, phase = 'post-data'): ExecutableStep => ({
  type: 'sql', id, phase, kind, sql, body: sql, down: `-- undo ${id}`, checksum: `c-${id}`, file: null, line: 1,
});

/**
 * Logs when the step starts and ends around a 2 s pause: two steps that run side by side have
 * overlapping intervals, two that run one after the other do not.
 */
const timed = (me: string, work: string) => `insert into step_times values ('${me}', clock_timestamp(), null);
select pg_sleep(2);
update step_times set ended = clock_timestamp() where step = '${me}';
${work}`;

it('groups keys and indexes, then foreign keys; everything else runs alone', () => {
  expect(['primary-key', 'unique', 'exclusion', 'index', 'foreign-key', 'check', 'trigger'].map((k) => parallelGroup({ phase: 'post-data', kind: k }))).toEqual([
    'keys', 'keys', 'keys', 'keys', 'foreign-keys', null, null,
  ]);
  expect(parallelGroup({ phase: 'pre-data', kind: 'index' })).toBeNull();
});

describeEach(process.env.TEST_DATABASE_URL ? ['server'] : [], 'post-data steps side by side on %s', () => {
  let db: FreshDatabase;
  beforeAll(async () => {
    db = await freshDatabase('server', 'postdata');
    await withDb(db.url, (c) => c.exec(`create table a (id int not null, v int); create table b (id int not null, a_id int);
      insert into a select g, g % 7 from generate_series(1, 5000) g; insert into b select g, g from generate_series(1, 5000) g;
      create table step_times (step text primary key, started timestamptz not null, ended timestamptz);`));
  });
  afterAll(() => db.drop());
  // Each case applies its own plan: forget the previous case's checkpoints, or apply would
  // take the new plan for an evolution of the old one.
  beforeEach(() => withDb(db.url, (c) => c.exec('drop schema if exists supamigrate cascade')));

  it('builds two keys at the same time, each committed with its checkpoint, foreign keys after them', async () => {
    const steps = [
      step('table:public.x', 'table', 'create table x (id int);', 'pre-data'),
      step('primary-key:public.a.a_pkey', 'primary-key', timed('a_pkey', 'alter table a add constraint a_pkey primary key (id);')),
      step('primary-key:public.b.b_pkey', 'primary-key', timed('b_pkey', 'alter table b add constraint b_pkey primary key (id);')),
      step('index:public.a_v', 'index', 'create index a_v on a (v);'),
      step('foreign-key:public.b.b_a', 'foreign-key', 'alter table b add constraint b_a foreign key (a_id) references a (id);'),
      step('trigger:t', 'trigger', 'create function t() returns trigger language plpgsql as $$ begin return new; end $$;'),
    ];
    const printed: string[] = [];
    const target = await openDb(db.url);
    try {
      const r = await applySteps(target, steps, {
        onStep: (s) => printed.push(s.id),
        runParallel: (batch, onDone) => runStepsInParallel(batch, { connect: () => openDb(db.url), parallel: 2, onDone }),
      });
      expect(r.error).toBeNull();
      expect(r.steps.map((s) => s.status)).toEqual(steps.map(() => 'executed'));
      const applied = (await readCheckpoints(target)).map((c) => c.stepId);
      expect([...applied].sort()).toEqual(steps.map((s) => s.id).sort());
      // The foreign key needs a's key: it is recorded after both keys and the index.
      expect(applied.indexOf('foreign-key:public.b.b_a')).toBeGreaterThan(Math.max(...['primary-key:public.a.a_pkey', 'primary-key:public.b.b_pkey', 'index:public.a_v'].map((id) => applied.indexOf(id))));
      expect(printed).toHaveLength(steps.length);
      const overlap = await target.query<{ side_by_side: boolean }>(
        `select a.started < b.ended and b.started < a.ended as side_by_side from step_times a, step_times b where a.step = 'a_pkey' and b.step = 'b_pkey'`);
      expect(overlap.rows).toEqual([{ side_by_side: true }]);
      const again = await applySteps(target, steps, { runParallel: () => Promise.reject(new Error('nothing should run')) });
      expect(again).toMatchObject({ ok: true, executed: 0 });
    } finally {
      await target.close();
    }
  });

  it("records the file's Supabase version after a batch that ends the file, and repairs it after a kill in between", async () => {
    const file = 'supabase/migrations/20000101000300_pd_post_data.sql';
    const steps = [
      { ...step('index:public.b_id', 'index', 'create index b_id on b (id);'), file },
      { ...step('index:public.a_id', 'index', 'create index a_id on a (id);'), file },
    ];
    const run = (target: Awaited<ReturnType<typeof openDb>>) =>
      applySteps(target, steps, { runParallel: (batch, onDone) => runStepsInParallel(batch, { connect: () => openDb(db.url), parallel: 2, onDone }) });
    const versions = (target: Awaited<ReturnType<typeof openDb>>) =>
      target.query<{ version: string }>(`select version from supabase_migrations.schema_migrations where version = '20000101000300'`);
    const target = await openDb(db.url);
    try {
      expect((await run(target)).ok).toBe(true);
      expect((await versions(target)).rows).toHaveLength(1);
      // As if the process died after the steps committed and before the version did.
      await target.exec(`delete from supabase_migrations.schema_migrations where version = '20000101000300'`);
      expect(await run(target)).toMatchObject({ ok: true, executed: 0 });
      expect((await versions(target)).rows).toHaveLength(1);
    } finally {
      await target.close();
    }
  });

  it('a failing step fails the apply and leaves no checkpoint; the others of its batch commit', async () => {
    await withDb(db.url, (c) => c.exec(`create table c (id int, v int); insert into c values (1, 1), (1, 2)`)); // a duplicate id
    const steps = [
      step('unique:public.c.c_id_v', 'unique', 'alter table c add constraint c_id_v unique (id, v);'),
      step('unique:public.c.c_id', 'unique', 'alter table c add constraint c_id unique (id);'),
      step('index:public.b_a_id', 'index', 'create index b_a_id on b (a_id);'),
    ];
    const target = await openDb(db.url);
    try {
      const r = await applySteps(target, steps, { runParallel: (batch, onDone) => runStepsInParallel(batch, { connect: () => openDb(db.url), parallel: 2, onDone }) });
      expect(r.ok).toBe(false);
      expect(r.error).toMatch(/could not create unique index "c_id"/);
      expect(r.steps.map((s) => s.status)).toEqual(['executed', 'failed', 'executed']);
      const applied = (await readCheckpoints(target)).map((c) => c.stepId);
      expect(applied).toEqual(expect.arrayContaining(['unique:public.c.c_id_v', 'index:public.b_a_id']));
      expect(applied).not.toContain('unique:public.c.c_id');
      const indexes = await target.query<{ n: string }>(`select count(*)::text as n from pg_indexes where indexname = 'c_id'`);
      expect(indexes.rows[0].n).toBe('0');
    } finally {
      await target.close();
    }
  });
});
