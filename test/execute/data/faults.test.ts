import type { Db } from '../../../src/db';
import { SnapshotHolder, copyTables, dataChecksums, type DataEvent } from '../../../src/execute/data';
import type { TableCopy } from '../../../src/plan/data';
import { closeAll, freshDatabase, run, server, type TestDatabase } from './targets';

const kinds: ('pglite' | 'server')[] = ['pglite', ...(server ? (['server'] as const) : [])];

/** Two plain tables; the target refuses item 500 through a check constraint. */
const DDL = `create table items (id int primary key, label text);
create table notes (name text primary key, body text);`;
const SEED = `insert into items select g, 'item ' || g from generate_series(1, 2000) g;
insert into notes select 'n' || g, repeat('x', g % 50) from generate_series(1, 300) g;`;

const column = (name: string) => ({ source: name, target: name, cast: null });
const items: TableCopy = {
  id: 'data:public.items', source: { schema: 'public', table: 'items' }, target: { schema: 'public', table: 'items' },
  columns: [column('id'), column('label')], key: ['id'], chunking: 'range', where: null, mode: 'auto',
  overridingSystemValue: false, estimatedRows: 2000, order: 1,
};
const notes: TableCopy = {
  ...items, id: 'data:public.notes', source: { schema: 'public', table: 'notes' }, target: { schema: 'public', table: 'notes' },
  columns: [column('name'), column('body')], key: ['name'], chunking: 'keyset', estimatedRows: 300, order: 0,
};

async function query<R>(db: TestDatabase, sql: string): Promise<R[]> {
  const c = await db.connect();
  try {
    return (await c.query<R>(sql)).rows;
  } finally {
    await c.close();
  }
}

/** Rows in the target and rows its checkpoints claim must agree, whatever happened. */
async function expectConsistent(target: TestDatabase, table: string, id: string): Promise<number> {
  const [{ n }] = await query<{ n: string }>(target, `select count(*)::text as n from ${table}`);
  const [{ s }] = await query<{ s: string }>(target, `select coalesce(sum(rows), 0)::text as s from supamigrate.data_chunks where table_id = '${id}' and chunk_no >= 0`);
  expect(n).toBe(s);
  return Number(n);
}

describe.each(kinds)('faults on %s', (kind) => {
  let source: TestDatabase;
  let target: TestDatabase;

  beforeEach(async () => {
    source = await freshDatabase(kind, 'data_fsrc');
    target = await freshDatabase(kind, 'data_ftgt');
    await run(source, DDL + SEED);
    await run(target, `${DDL} alter table items add constraint items_not_500 check (id <> 500);`);
  });

  afterEach(async () => {
    await source.drop();
    await target.drop();
  });

  afterAll(closeAll);

  it('dry run reports the rejected row and leaves the target untouched', async () => {
    const result = await copyTables({ connectSource: source.connect, connectTarget: target.connect, tables: [items, notes], batchSize: 600, parallel: 2, dryRun: true });
    expect(result.ok).toBe(false);
    const failed = result.tables.find((t) => t.id === items.id)!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ chunk: 0, rowKey: '"id"=500', code: '23514' });
    expect(failed.error!.message).toMatch(/items_not_500/);
    expect(result.tables.find((t) => t.id === notes.id)).toMatchObject({ status: 'completed', rows: 300 });
    expect(await query(target, 'select 1 from items union all select 1 from notes')).toEqual([]);
    expect(await query(target, "select 1 from pg_namespace where nspname = 'supamigrate'")).toEqual([]);
  });

  it('a rejected row fails its chunk with the key, keeps other chunks and tables, and checkpoints stay true', async () => {
    const result = await copyTables({ connectSource: source.connect, connectTarget: target.connect, tables: [items, notes], batchSize: 300, parallel: 2 });
    const failed = result.tables.find((t) => t.id === items.id)!;
    expect(result.ok).toBe(false);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ rowKey: '"id"=500', code: '23514' });
    expect(failed.error!.message).toMatch(/items_not_500/);
    expect(result.tables.find((t) => t.id === notes.id)!.status).toBe('completed');
    // 2000 rows in 7 chunks of 286 keys: chunk 1 holds 287..572. Chunks queued behind a failure
    // are not started, so how many others committed depends on timing; none is half there.
    expect(failed.error!.chunk).toBe(1);
    const loaded = await expectConsistent(target, 'items', items.id);
    expect(loaded).toBeLessThanOrEqual(2000 - 286);
    expect(await query(target, 'select id from items where id between 287 and 572 limit 1')).toEqual([]);
    await expectConsistent(target, 'notes', notes.id);
  });

  it('exhausted retries name the chunk, and a later run finishes the job', async () => {
    await run(target, 'alter table items drop constraint items_not_500');
    let broken = false;
    let chunks = 0;
    const flaky = async (): Promise<Db> => {
      if (broken) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      return breakable(await target.connect(), () => broken);
    };
    const onEvent = (e: DataEvent) => {
      if (e.type === 'chunk-done' && ++chunks === 2) broken = true;
    };
    // Both runs read in one held snapshot, so the second keeps the first's chunks (a new
    // snapshot would restart the table whole: snapshot.e2e.test.ts).
    const holder = await SnapshotHolder.take(source.connect);
    const snapshot = holder?.id ?? null;
    expect(snapshot === null).toBe(kind === 'pglite');
    try {
      const first = await copyTables({ connectSource: source.connect, connectTarget: flaky, tables: [items], batchSize: 100, parallel: 1, maxRetries: 2, retryDelayMs: 5, onEvent, snapshot });
      expect(first.ok).toBe(false);
      expect(first.tables[0]).toMatchObject({ status: 'failed', chunksDone: 2, error: { chunk: 2 } });
      expect(await expectConsistent(target, 'items', items.id)).toBe(200);

      const second = await copyTables({ connectSource: source.connect, connectTarget: target.connect, tables: [items], batchSize: 100, parallel: 2, snapshot });
      expect(second.tables[0]).toMatchObject({ status: 'completed', chunksSkipped: 2, rows: 1800 });
    } finally {
      await holder?.release();
    }
    expect(await expectConsistent(target, 'items', items.id)).toBe(2000);
    await expectSameChecksums(source, target, items);
  });
});

if (server) {
  describe.each(['server'])('on a %s', () => {
  it('survives pg_terminate_backend of the target connections mid-chunk', async () => {
    const source = await freshDatabase('server', 'data_ksrc');
    const target = await freshDatabase('server', 'data_ktgt');
    try {
      await run(source, `${DDL} insert into items select g, repeat('v', 200) || g from generate_series(1, 200000) g;`);
      await run(target, DDL);
      const dbName = new URL(target.url).pathname.slice(1);
      const retries: DataEvent[] = [];
      let done = 0;
      const terminations: Promise<unknown>[] = [];
      const onEvent = (e: DataEvent) => {
        if (e.type === 'chunk-retry') retries.push(e);
        if (e.type === 'chunk-done' && [1, 4, 6, 8].includes(++done)) {
          // Mostly the target's connections; once the source's, which are in the middle of COPY TO.
          const victim = done === 6 ? new URL(source.url).pathname.slice(1) : dbName;
          terminations.push(query(source, `select pg_sleep(0.05), count(pg_terminate_backend(pid)) from pg_stat_activity where datname = '${victim}' and application_name = 'supamigrate' and state = 'active' and pid <> pg_backend_pid()`));
        }
      };
      const result = await copyTables({ connectSource: source.connect, connectTarget: target.connect, tables: [items], batchSize: 10000, parallel: 2, retryDelayMs: 20, onEvent });
      await Promise.all(terminations);
      // The error is in the comparison so that a failure shows Postgres's message.
      expect({ status: result.tables[0].status, rows: result.tables[0].rows, error: result.tables[0].error ?? null }).toEqual({ status: 'completed', rows: 200000, error: null });
      expect(retries.length).toBeGreaterThan(0);
      expect(await expectConsistent(target, 'items', items.id)).toBe(200000);
      await expectSameChecksums(source, target, items);
    } finally {
      await source.drop();
      await target.drop();
    }
  });
});
} else {
  describe.each(['pglite only'])('%s', () => it('has no backend to terminate', () => expect(server).toBeUndefined()));
}

async function expectSameChecksums(source: TestDatabase, target: TestDatabase, copy: TableCopy): Promise<void> {
  const [s, t] = [await source.connect(), await target.connect()];
  try {
    expect(await dataChecksums(t, copy, 'target', 500)).toEqual(await dataChecksums(s, copy, 'source', 500));
  } finally {
    await s.close();
    await t.close();
  }
}

/** Wraps a real connection so that, once `isBroken` says so, every call fails like a dropped socket. */
function breakable(db: Db, isBroken: () => boolean): Db {
  const fail = () => Promise.reject(new Error('Connection terminated unexpectedly'));
  return {
    kind: db.kind,
    query: (sql, params) => (isBroken() ? fail() : db.query(sql, params)),
    exec: (sql) => (isBroken() ? fail() : db.exec(sql)),
    transaction: (fn) => (isBroken() ? fail() : db.transaction(fn)),
    close: () => db.close(),
    copyOut: db.copyOut?.bind(db),
    copyIn: db.copyIn?.bind(db),
  } as Db;
}
