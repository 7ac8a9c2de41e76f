import type { Db } from '../../../src/db';
import { copyTables, dataChecksums, resetSequences, undoTableCopy } from '../../../src/execute/data';
import { introspect } from '../../../src/introspect';
import { planData, type TableCopy } from '../../../src/plan/data';
import { SOURCE_DDL, TARGET_DDL, seedSql } from './fixture';
import { closeAll, freshDatabase, run, server, type TestDatabase } from './targets';

type Kind = 'pglite' | 'server';
const pairs: [Kind, Kind][] = [['pglite', 'pglite'], ...(server ? ([['server', 'server'], ['server', 'pglite']] as [Kind, Kind][]) : [])];

describe.each(pairs)('copyTables %s -> %s', (sourceKind, targetKind) => {
  let source: TestDatabase;
  let target: TestDatabase;
  let copies: TableCopy[];

  beforeAll(async () => {
    source = await freshDatabase(sourceKind, 'data_src');
    target = await freshDatabase(targetKind, 'data_tgt');
    await run(source, SOURCE_DDL + seedSql(1200));
    await run(target, TARGET_DDL);
    const src = await source.connect();
    copies = planData(await introspect(src, { includeSchemas: ['app'] }), { tables: {}, schemaRename: {} });
    await src.close();
  });

  afterAll(async () => {
    await source?.drop();
    await target?.drop();
    await closeAll();
  });

  it('plans leaf partitions and every key shape', () => {
    expect(copies.map((c) => [c.id, c.chunking])).toEqual([
      ['data:app.events_2024', 'keyset'],
      ['data:app.events_2025', 'keyset'],
      ['data:app.kinds', 'range'],
      ['data:app.nokey', 'whole'],
      ['data:app.tags', 'keyset'],
      ['data:app.tree', 'range'],
    ]);
  });

  it('copies every row exactly, with triggers off, and a second run copies nothing', async () => {
    const events: string[] = [];
    const result = await copyTables({
      connectSource: source.connect, connectTarget: target.connect, tables: copies, batchSize: 250, parallel: 3,
      onEvent: (e) => events.push(e.type),
    });
    expect(result.tables.filter((t) => t.status !== 'completed')).toEqual([]);
    expect(result.ok).toBe(true);
    expect(events.filter((e) => e === 'chunk-done').length).toBeGreaterThan(12);
    await expectSameData(copies);

    const again = await copyTables({ connectSource: source.connect, connectTarget: target.connect, tables: copies, batchSize: 250, parallel: 2 });
    expect(again.tables.map((t) => t.rows)).toEqual(copies.map(() => 0));
    expect(again.tables.every((t) => t.chunksSkipped > 0 && t.status === 'completed')).toBe(true);
    await expectSameData(copies);
  });

  it('carries sequence and identity values over', async () => {
    const [src, tgt] = [await source.connect(), await target.connect()];
    try {
      const snapshot = await introspect(src, { includeSchemas: ['app'] });
      await resetSequences(src, tgt, snapshot);
      const next = async (db: Db) =>
        (await db.query<{ a: string; b: string }>(
          `select nextval('app.order_no')::text as a, nextval(pg_get_serial_sequence('app.kinds', 'id'))::text as b`,
        )).rows[0];
      expect(await next(tgt)).toEqual(await next(src));
    } finally {
      await src.close();
      await tgt.close();
    }
  });

  it('undoes a table copy', async () => {
    const tgt = await target.connect();
    try {
      const tags = copies.find((c) => c.id === 'data:app.tags')!;
      await undoTableCopy(tgt, tags);
      expect((await tgt.query<{ n: string }>('select count(*)::text as n from app.tags')).rows[0].n).toBe('0');
      expect((await tgt.query("select 1 from supamigrate.data_chunks where table_id = 'data:app.tags'")).rows).toEqual([]);
    } finally {
      await tgt.close();
    }
  });

  async function expectSameData(tables: TableCopy[]): Promise<void> {
    const [src, tgt] = [await source.connect(), await target.connect()];
    try {
      for (const copy of tables) {
        const a = await dataChecksums(src, copy, 'source', 300);
        const b = await dataChecksums(tgt, copy, 'target', 300);
        expect({ id: copy.id, ...b }).toEqual({ id: copy.id, ...a });
        expect(a.rows).toBeGreaterThan(0);
      }
    } finally {
      await src.close();
      await tgt.close();
    }
  }
});
