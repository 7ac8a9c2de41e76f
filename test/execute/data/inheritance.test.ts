import { copyTables } from '../../../src/execute/data';
import { introspect } from '../../../src/introspect';
import { planData } from '../../../src/plan/data';
import { closeAll, freshDatabase, run, server, type TestDatabase } from './targets';

type Kind = 'pglite' | 'server';
const pairs: [Kind, Kind][] = [['pglite', 'pglite'], ...(server ? ([['server', 'server']] as [Kind, Kind][]) : [])];
const SHAPE = `create schema app;
  create table app.base_log (id integer primary key, msg text);
  create table app.audit_log (actor text) inherits (app.base_log);`;

// Inheritance (not partitioning): the parent's copy must not read its children's rows, which
// their own copy moves. Read through the parent, a child row landed twice on the target (and a
// child id equal to a parent's broke the parent's primary key).
describe.each(pairs)('a table with inheriting children, %s -> %s', (sourceKind, targetKind) => {
  let source: TestDatabase;
  let target: TestDatabase;

  beforeAll(async () => {
    source = await freshDatabase(sourceKind, 'inh_src');
    target = await freshDatabase(targetKind, 'inh_tgt');
    await run(source, `${SHAPE}
      insert into app.base_log values (1, 'parent'), (2, 'parent');
      insert into app.audit_log values (1, 'child', 'ann'), (3, 'child', 'bo');`);
    await run(target, SHAPE);
  });
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
    await closeAll();
  });

  it.each(['insert', 'auto'] as const)('copies each table its own rows once (mode %s)', async (mode) => {
    const src = await source.connect();
    const copies = planData(await introspect(src, { includeSchemas: ['app'] }), { tables: {}, schemaRename: {}, mode });
    await src.close();
    await run(target, 'truncate app.base_log, app.audit_log; drop table if exists supamigrate.data_chunks;');
    const result = await copyTables({ connectSource: source.connect, connectTarget: target.connect, tables: copies, batchSize: 1, parallel: 1 });
    expect(result.tables.map((t) => [t.id, t.status, t.rows]).sort()).toEqual([
      ['data:app.audit_log', 'completed', 2],
      ['data:app.base_log', 'completed', 2],
    ]);
    const tgt = await target.connect();
    try {
      const rows = await tgt.query<{ id: number; msg: string }>('select id, msg from app.base_log order by id, msg');
      expect(rows.rows).toEqual([
        { id: 1, msg: 'child' },
        { id: 1, msg: 'parent' },
        { id: 2, msg: 'parent' },
        { id: 3, msg: 'child' },
      ]);
    } finally {
      await tgt.close();
    }
  });
});
