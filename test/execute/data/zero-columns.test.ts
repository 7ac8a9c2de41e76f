import { copyTables, dataChecksums } from '../../../src/execute/data';
import { introspect } from '../../../src/introspect';
import { planData } from '../../../src/plan/data';
import { closeAll, freshDatabase, run, server, type TestDatabase } from './targets';

type Kind = 'pglite' | 'server';
const pairs: [Kind, Kind][] = [['pglite', 'pglite'], ...(server ? ([['server', 'server']] as [Kind, Kind][]) : [])];

// A table may have no columns and still hold rows (apflora's fuzzysearch.unknown_table_1).
describe.each(pairs)('a table without columns, %s -> %s', (sourceKind, targetKind) => {
  let source: TestDatabase;
  let target: TestDatabase;

  beforeAll(async () => {
    source = await freshDatabase(sourceKind, 'zc_src');
    target = await freshDatabase(targetKind, 'zc_tgt');
    await run(source, 'create schema app; create table app.empty_shape(); insert into app.empty_shape select from generate_series(1, 7);');
    await run(target, 'create schema app; create table app.empty_shape();');
  });
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
    await closeAll();
  });

  it.each(['insert', 'auto'] as const)('moves its rows (mode %s)', async (mode) => {
    const src = await source.connect();
    const copies = planData(await introspect(src, { includeSchemas: ['app'] }), { tables: {}, schemaRename: {}, mode });
    await src.close();
    expect(copies.map((c) => c.columns.length)).toEqual([0]);
    await run(target, 'truncate app.empty_shape; drop table if exists supamigrate.data_chunks;');
    const result = await copyTables({ connectSource: source.connect, connectTarget: target.connect, tables: copies, batchSize: 3, parallel: 1 });
    expect(result.tables.map((t) => [t.status, t.rows])).toEqual([['completed', 7]]);
    const tgt = await target.connect();
    try {
      expect((await tgt.query<{ n: number }>('select count(*)::int as n from app.empty_shape')).rows[0].n).toBe(7);
      expect((await dataChecksums(tgt, copies[0], 'target', 100)).rows).toBe(7);
    } finally {
      await tgt.close();
    }
  });
});
