import type { Db } from '../../../src/db';
import { dataChecksums } from '../../../src/execute/data';
import type { TableCopy } from '../../../src/plan/data';
import { closeAll, freshDatabase, server, type TestDatabase } from './targets';

const kinds: ('pglite' | 'server')[] = ['pglite', ...(server ? (['server'] as const) : [])];
const col = (name: string) => ({ source: name, target: name, cast: null });
const base: TableCopy = {
  id: 'data:public.t', source: { schema: 'public', table: 't' }, target: { schema: 'public', table: 't' },
  columns: [col('id'), col('v'), col('at')], key: ['id'], chunking: 'range', where: null, mode: 'auto',
  overridingSystemValue: false, estimatedRows: 0, order: 0,
};

describe.each(kinds)('dataChecksums on %s', (kind) => {
  let a: TestDatabase;
  let b: TestDatabase;
  let da: Db;
  let db: Db;

  beforeAll(async () => {
    [a, b] = [await freshDatabase(kind, 'data_ck_a'), await freshDatabase(kind, 'data_ck_b')];
    [da, db] = [await a.connect(), await b.connect()];
    const ddl = 'create table t (id int primary key, v text, at timestamptz); create table s (k text primary key, v int);';
    await da.exec(`${ddl} set time zone 'UTC';
      insert into t select g, case when g % 3 = 0 then null else 'v' || g end, timestamptz '2024-01-01 00:00+00' + g * interval '1 hour' from generate_series(1, 1000) g;
      insert into s select 'k' || g, g from generate_series(1, 500) g;`);
    // Same rows, inserted backwards and in another time zone: the checksum ignores both.
    await db.exec(`${ddl} set time zone 'Pacific/Auckland';
      insert into t select g, case when g % 3 = 0 then null else 'v' || g end, timestamptz '2024-01-01 00:00+00' + g * interval '1 hour' from generate_series(1000, 1, -1) g;
      insert into s select 'k' || g, g from generate_series(500, 1, -1) g;`);
  });

  afterAll(async () => {
    await da.close();
    await db.close();
    await a.drop();
    await b.drop();
    await closeAll();
  });

  it('agrees on equal rows whatever their physical order or session time zone', async () => {
    const left = await dataChecksums(da, base, 'source', 100);
    expect(left.rows).toBe(1000);
    expect(left.chunks).toHaveLength(11);
    expect(left.chunks[0]).toMatchObject({ lo: '0', hi: '100', rows: 99 });
    expect(await dataChecksums(db, base, 'target', 100)).toEqual(left);
  });

  it('names the chunk that differs, including NULL versus empty string', async () => {
    await db.exec("update t set v = '' where id = 255");
    const [left, right] = [await dataChecksums(da, base, 'source', 100), await dataChecksums(db, base, 'target', 100)];
    expect(right.checksum).not.toBe(left.checksum);
    const differing = right.chunks.filter((c, i) => c.checksum !== left.chunks[i].checksum);
    expect(differing.map((c) => [c.lo, c.hi])).toEqual([['200', '300']]);
    await db.exec('update t set v = null where id = 255');
    expect(await dataChecksums(db, base, 'target', 100)).toEqual(left);
  });

  it('counts a duplicated or missing row in keyset chunks', async () => {
    const s: TableCopy = { ...base, id: 'data:public.s', source: { schema: 'public', table: 's' }, target: { schema: 'public', table: 's' }, columns: [col('k'), col('v')], key: ['k'], chunking: 'keyset' };
    const left = await dataChecksums(da, s, 'source', 64);
    expect(await dataChecksums(db, s, 'target', 64)).toEqual(left);
    await db.exec("delete from s where k = 'k42'");
    const right = await dataChecksums(db, s, 'target', 64);
    expect(right.rows).toBe(499);
    expect(right.checksum).not.toBe(left.checksum);
    expect(right.chunks.findIndex((c, i) => c.checksum !== left.chunks[i].checksum)).toBe(right.chunks.findIndex((c) => c.lo !== null && c.hi !== null && c.lo <= '(k42)' && '(k42)' <= c.hi));
  });
});
