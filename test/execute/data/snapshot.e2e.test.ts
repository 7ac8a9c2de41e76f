import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { openDb, type Db } from '../../../src/db';
import { SnapshotHolder, copyTables, type DataEvent } from '../../../src/execute/data';
import { introspect } from '../../../src/introspect';
import { planData, type TableCopy } from '../../../src/plan/data';
import { compareData, type TableParity } from '../../../src/validate';
import { ROOT, compileEngine, runChild } from './child';
import { freshDatabase, run, server, type TestDatabase } from './targets';

/**
 * Two tables of accounts; money only moves between them, so their total never changes. New
 * pairs of rows appear too, the second referencing the first, so a copy that reads the tables at
 * different instants can hold a reference to a row it never saw.
 */
const ROWS = 60_000;
const TOTAL = ROWS * 2 * 1000;
const TABLES = `create table acct_a (id int primary key, balance bigint not null);
create table acct_b (id int primary key, a_id int not null, balance bigint not null);`;
const SEED = `insert into acct_a select g, 1000 from generate_series(1, ${ROWS}) g;
insert into acct_b select g, g, 1000 from generate_series(1, ${ROWS}) g;
alter table acct_b add constraint b_owner foreign key (a_id) references acct_a (id);`;

interface Writer {
  stop: () => Promise<number>;
}

/** Moves money as fast as one connection can, for at most `maxMs` or `maxTransactions`. */
function startWriter(url: string, maxMs: number, maxTransactions: number): Writer {
  let stopped = false;
  let n = 0;
  const done = (async () => {
    const db = await openDb(url);
    const started = Date.now();
    const base = Number((await db.query<{ m: number }>('select max(id) as m from acct_a')).rows[0].m);
    try {
      for (; !stopped && n < maxTransactions && Date.now() - started < maxMs; n++) {
        const [i, j, amount] = [1 + ((n * 7919) % ROWS), 1 + ((n * 104_729) % ROWS), 1 + (n % 50)];
        const id = base + 1 + n;
        const pair = n % 10 === 0 ? `insert into acct_a values (${id}, 0); insert into acct_b values (${id}, ${id}, 0);` : '';
        await db.exec(`begin; update acct_a set balance = balance - ${amount} where id = ${i};
          update acct_b set balance = balance + ${amount} where id = ${j}; ${pair} commit`);
      }
    } finally {
      await db.close();
    }
  })();
  return { stop: async () => ((stopped = true), await done, n) };
}

async function one<R>(db: TestDatabase, sql: string): Promise<R> {
  const c = await db.connect();
  try {
    return (await c.query<R>(sql)).rows[0];
  } finally {
    await c.close();
  }
}

async function compare(source: TestDatabase, target: TestDatabase, copies: TableCopy[], asOf?: 'now'): Promise<TableParity[]> {
  const [s, t] = [await source.connect(), await target.connect()];
  try {
    return await compareData(s, t, copies, 5000, { asOf });
  } finally {
    await s.close();
    await t.close();
  }
}

/** The target's total, and the foreign key added now, which checks every row. */
async function expectConsistentImage(target: TestDatabase): Promise<void> {
  const { total } = await one<{ total: string }>(target, 'select ((select sum(balance) from acct_a) + (select sum(balance) from acct_b))::text as total');
  expect(Number(total)).toBe(TOTAL);
  const c: Db = await target.connect();
  try {
    await c.exec('alter table acct_b add constraint b_owner foreign key (a_id) references acct_a (id)');
  } finally {
    await c.close();
  }
  const chunks = await one<{ a: string; b: string }>(target, `select
    (select sum(rows) from supamigrate.data_chunks where table_id = 'data:public.acct_a' and chunk_no >= 0)::text as a,
    (select sum(rows) from supamigrate.data_chunks where table_id = 'data:public.acct_b' and chunk_no >= 0)::text as b`);
  const counts = await one<{ a: string; b: string }>(target, 'select (select count(*) from acct_a)::text as a, (select count(*) from acct_b)::text as b');
  expect(chunks).toEqual(counts);
}

(server ? describe.each(['server']) : describe.each(['pglite only']))('one snapshot for the whole copy, with a writer on the source (%s)', (kind) => {
  if (kind !== 'server') {
    it('needs a server: PGlite cannot export a snapshot, and nothing else writes to it during a copy', () => expect(server).toBeUndefined());
    return;
  }
  let source: TestDatabase;
  let copies: TableCopy[];
  const targets: TestDatabase[] = [];

  beforeAll(async () => {
    source = await freshDatabase('server', 'data_snap_src');
    await run(source, TABLES + SEED);
    const src = await source.connect();
    copies = planData(await introspect(src, { includeSchemas: ['public'] }), { tables: {}, schemaRename: {} });
    await src.close();
  }, 120_000);

  afterAll(async () => {
    for (const t of targets) await t.drop();
    await source?.drop();
  });

  const freshTarget = async () => {
    const t = await freshDatabase('server', 'data_snap_tgt');
    targets.push(t);
    await run(t, TABLES);
    return t;
  };

  it('copies an image of one instant: the total holds and the foreign key validates', async () => {
    const target = await freshTarget();
    const writer = startWriter(source.url, 120_000, 200_000);
    const events: DataEvent[] = [];
    const result = await copyTables({ connectSource: source.connect, connectTarget: target.connect, tables: copies, batchSize: 2000, parallel: 2, onEvent: (e) => events.push(e) });
    const writes = await writer.stop();
    expect(result.tables.filter((t) => t.status !== 'completed')).toEqual([]);
    expect(events.find((e) => e.type === 'load-start')).toMatchObject({ snapshot: expect.stringMatching(/^[0-9A-F-]+$/) });
    // The writer really ran during the copy: the source has rows the copy's instant had not.
    expect(writes).toBeGreaterThan(10);
    const { n } = await one<{ n: string }>(source, 'select count(*)::text as n from acct_a');
    const copied = await one<{ n: string }>(target, 'select count(*)::text as n from acct_a');
    expect(Number(copied.n)).toBeLessThan(Number(n));
    await expectConsistentImage(target);
  }, 300_000);

  it('validate --data compares as of the copy\'s snapshot while it is held, and says when it compared with now', async () => {
    const target = await freshTarget();
    const holder = (await SnapshotHolder.take(source.connect))!;
    const writer = startWriter(source.url, 120_000, 200_000);
    let released = false;
    try {
      const result = await copyTables({ connectSource: source.connect, connectTarget: target.connect, tables: copies, batchSize: 2000, parallel: 2, snapshot: holder.id });
      expect(result.ok).toBe(true);
      const asOfCopy = await compare(source, target, copies);
      expect(asOfCopy.map((t) => [t.table, t.ok, t.asOf])).toEqual([['public.acct_a', true, 'snapshot'], ['public.acct_b', true, 'snapshot']]);
      await holder.release();
      released = true;
      // The snapshot is gone and the writer has moved money since: compared with now, they differ.
      expect(await writer.stop()).toBeGreaterThan(10);
      const asOfNow = await compare(source, target, copies);
      expect(asOfNow.map((t) => [t.table, t.ok, t.asOf])).toEqual([['public.acct_a', false, 'now'], ['public.acct_b', false, 'now']]);
    } finally {
      await writer.stop();
      if (!released) await holder.release();
    }
  }, 300_000);

  it('names the lost snapshot when its holder ends before the readers import it', async () => {
    const target = await freshTarget();
    const holder = (await SnapshotHolder.take(source.connect))!;
    await holder.release();
    const result = await copyTables({ connectSource: source.connect, connectTarget: target.connect, tables: copies, batchSize: 2000, parallel: 2, snapshot: holder.id, maxRetries: 0 });
    expect(result.tables.map((t) => [t.status, t.error?.message])).toEqual(copies.map(() => ['failed', expect.stringMatching(/invalid snapshot identifier.*apply again/)]));
  }, 300_000);

  it('validate --data compares with now when asked, and matches a copy made with writes stopped', async () => {
    const target = await freshTarget();
    expect((await copyTables({ connectSource: source.connect, connectTarget: target.connect, tables: copies, batchSize: 2000, parallel: 2 })).ok).toBe(true);
    const asOfNow = await compare(source, target, copies, 'now');
    expect(asOfNow.map((t) => [t.table, t.ok, t.asOf])).toEqual([['public.acct_a', true, 'now'], ['public.acct_b', true, 'now']]);
  }, 300_000);

  it('stays one image after the engine (and the snapshot it held) is killed mid-copy and resumed', async () => {
    const target = await freshTarget();
    const work = mkdtempSync(join(tmpdir(), 'sm-data-snap-'));
    try {
      compileEngine(join(work, 'dist'));
      writeFileSync(join(work, 'tables.json'), JSON.stringify(copies));
      const env = { NODE_PATH: join(ROOT, 'node_modules'), SM_DIST: join(work, 'dist'), SM_TABLES: join(work, 'tables.json'), SM_SOURCE: source.url, SM_TARGET: target.url, SM_BATCH: '2000', SM_PARALLEL: '2' };
      const writer = startWriter(source.url, 240_000, 400_000);
      try {
        // 30 chunks a table: after 4 commits both tables are partly loaded, in the first snapshot.
        const killed = await runChild(env, 4, null);
        expect(killed.finished).toBe(false);
        const partial = await one<{ n: string; s: string }>(target, 'select count(*)::text as n, count(distinct snapshot)::text as s from supamigrate.data_chunks where chunk_no >= 0');
        expect(Number(partial.n)).toBeGreaterThanOrEqual(4);
        const resumed = await runChild(env, null, null);
        expect(resumed.finished).toBe(true);
        expect(resumed.events.filter((e) => e.type === 'table-restart').map((e) => e.table).sort()).toEqual(['data:public.acct_a', 'data:public.acct_b']);
      } finally {
        expect(await writer.stop()).toBeGreaterThan(10);
      }
      const { s } = await one<{ s: string }>(target, 'select count(distinct snapshot)::text as s from supamigrate.data_chunks');
      expect(s).toBe('1');
      await expectConsistentImage(target);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 600_000);
});
