import { copyTables } from '../../../src/execute/data';
import { ensureCheckpointTable, readCheckpoints, recordCheckpoint } from '../../../src/execute/data/checkpoints';
import { restartIfStale } from '../../../src/execute/data/resume';
import type { TableCopy } from '../../../src/plan/data';
import { closeAll, freshDatabase, run } from './targets';

const column = (name: string) => ({ source: name, target: name, cast: null });
const table = (name: string, chunking: TableCopy['chunking']): TableCopy => ({
  id: `data:public.${name}`, source: { schema: 'public', table: name }, target: { schema: 'public', table: name },
  columns: [column('id')], key: ['id'], chunking, where: null, mode: 'auto', overridingSystemValue: false, estimatedRows: 100, order: 0,
});

afterAll(closeAll);

it('restarts a table partly loaded in another snapshot and keeps a finished one', async () => {
  const target = await freshDatabase('pglite', 'data_resume');
  await run(target, 'create table done (id int primary key); create table partial (id int primary key); insert into done values (1), (2); insert into partial values (1);');
  const db = await target.connect();
  await ensureCheckpointTable(db);
  const [done, partial] = [table('done', 'range'), table('partial', 'range')];
  // Keys 1..4 in chunks of 2: "done" has both chunks, "partial" only the first.
  const geometry = { chunkNo: -1, keyLo: '1', keyHi: '4', rows: 2, checksum: 'geometry', snapshot: 'old' };
  for (const c of [done, partial]) await recordCheckpoint(db, c.id, geometry);
  await recordCheckpoint(db, done.id, { chunkNo: 0, keyLo: '1', keyHi: '3', rows: 2, checksum: null, snapshot: 'old' });
  await recordCheckpoint(db, done.id, { chunkNo: 1, keyLo: '3', keyHi: '5', rows: 0, checksum: null, snapshot: 'old' });
  await recordCheckpoint(db, partial.id, { chunkNo: 0, keyLo: '1', keyHi: '3', rows: 1, checksum: null, snapshot: 'old' });

  expect(await restartIfStale(db, partial, 'old')).toBe(false);
  expect(await restartIfStale(db, partial, null)).toBe(false);
  expect(await restartIfStale(db, done, 'new')).toBe(false);
  expect(await restartIfStale(db, partial, 'new')).toBe(true);
  expect(await readCheckpoints(db, partial.id)).toEqual([]);
  expect((await db.query('select * from partial')).rows).toEqual([]);
  expect((await readCheckpoints(db, done.id)).length).toBe(3);
  expect((await db.query<{ id: number }>('select id from done order by id')).rows).toEqual([{ id: 1 }, { id: 2 }]);
});

it('a PGlite source reads without a snapshot and records none', async () => {
  const [source, target] = [await freshDatabase('pglite', 'data_nosnap_src'), await freshDatabase('pglite', 'data_nosnap_tgt')];
  await run(source, 'create table t (id int primary key); insert into t select generate_series(1, 50);');
  await run(target, 'create table t (id int primary key);');
  const events: unknown[] = [];
  const result = await copyTables({ connectSource: source.connect, connectTarget: target.connect, tables: [table('t', 'range')], batchSize: 20, parallel: 2, onEvent: (e) => events.push(e) });
  expect(result.ok).toBe(true);
  expect(events[0]).toMatchObject({ type: 'load-start', snapshot: null });
  const db = await target.connect();
  expect((await readCheckpoints(db, 'data:public.t')).map((c) => c.snapshot)).toEqual([null, null, null, null]);
});
