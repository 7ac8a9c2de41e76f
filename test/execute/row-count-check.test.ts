import { closeNamedPglite, openDb, type Db } from '../../src/db';
import { applySteps, type ExecutableStep } from '../../src/execute';
import { copyTables } from '../../src/execute/data';
import type { TableCopy } from '../../src/plan/data/types';
import { freshDatabase, type FreshDatabase, TARGETS } from '../helpers/databases';

const FILE = 'supabase/migrations/20000101000100_t.sql';
const sqlStep = (id: string, phase: string, sql: string): ExecutableStep => ({
  type: 'sql', id, phase, kind: id.split(':')[0], sql, body: sql, down: `-- undo ${id}`, checksum: `c-${id}`, file: FILE, line: 1,
});
const copy: TableCopy = {
  id: 'data:app.t',
  source: { schema: 'app', table: 't' },
  target: { schema: 'app', table: 't' },
  columns: [
    { source: 'id', target: 'id', cast: null },
    { source: 'v', target: 'v', cast: null },
  ],
  key: ['id'],
  chunking: 'range',
  where: null,
  mode: 'auto',
  overridingSystemValue: false,
  estimatedRows: 5,
  order: 0,
};
const steps: ExecutableStep[] = [
  sqlStep('schema:app', 'pre-data', 'create schema app;'),
  sqlStep('table:app.t', 'pre-data', 'create table app.t (id int not null, v text);'),
  { type: 'table-copy', id: copy.id, phase: 'data', kind: 'data', copy, body: JSON.stringify(copy), down: '', checksum: 'c-data', file: null, line: 0 },
  sqlStep('constraint:app.t.t_pkey', 'post-data', 'alter table app.t add constraint t_pkey primary key (id);'),
];

/** The same connection for every worker: an embedded database can be opened only once. */
const shared = (db: Db) => async (): Promise<Db> => ({
  ...db, query: db.query.bind(db), exec: db.exec.bind(db), transaction: db.transaction.bind(db), close: async () => undefined,
});

describe.each(TARGETS)('the row-count check after the data phase on %s', (kind) => {
  let sourceDb: FreshDatabase;
  let targetDb: FreshDatabase;
  let source: Db;
  let target: Db;
  /** Runs the real copy engine, then lets `afterCopy` act on the target as another session would. */
  const copyingRunner = (afterCopy: () => Promise<void>) => async (run: ExecutableStep[]) => {
    const result = await copyTables({
      connectSource: shared(source),
      connectTarget: shared(target),
      tables: run.flatMap((s) => (s.type === 'table-copy' ? [s.copy] : [])),
      batchSize: 2,
      parallel: 1,
      snapshot: null,
    });
    await afterCopy();
    return new Map(result.tables.map((t) => [t.id, t.status === 'completed' ? null : String(t.error?.message)]));
  };

  beforeEach(async () => {
    sourceDb = await freshDatabase(kind, 'rcsrc');
    targetDb = await freshDatabase(kind, 'rctgt');
    source = await openDb(sourceDb.url);
    target = await openDb(targetDb.url);
    await source.exec(`create schema app; create table app.t (id int primary key, v text);
      insert into app.t select g, 'row ' || g from generate_series(1, 5) g;`);
  });
  afterEach(async () => {
    await source.close();
    await target.close();
    await sourceDb.drop();
    await targetDb.drop();
  });
  afterAll(() => closeNamedPglite());

  it('stops before post-data when a loaded table lost a row after its copy', async () => {
    const r = await applySteps(target, steps, {
      runData: copyingRunner(async () => {
        await target.query('delete from app.t where id = 3');
      }),
    });
    expect(r.ok).toBe(false);
    expect(r.steps.map((s) => s.status)).toEqual(['executed', 'executed', 'executed', 'not-run']);
    expect(r.failure).toMatchObject({
      step: 'check:data',
      code: 'row-count-mismatch',
      detail: 'table app.t holds 4 rows, its chunks recorded 5 copied',
    });
    expect(r.failure?.hint).toContain('the next phase did not start');
    expect(r.error).toContain('the data phase ran, but its check does not hold');
    // The primary key (post-data) was not built.
    const pk = await target.query(`select 1 from pg_constraint where conname = 't_pkey'`);
    expect(pk.rows).toHaveLength(0);
  });

  it('goes on to post-data when every loaded row is there', async () => {
    const r = await applySteps(target, steps, { runData: copyingRunner(async () => undefined) });
    expect(r).toMatchObject({ ok: true, executed: 4, failure: null });
    const n = await target.query<{ n: string }>('select count(*)::text as n from app.t');
    expect(n.rows[0].n).toBe('5');
  });
});
