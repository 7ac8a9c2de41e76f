import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { SnapshotHolder, dataChecksums } from '../../../src/execute/data';
import { introspect } from '../../../src/introspect';
import { planData, type TableCopy } from '../../../src/plan/data';
import { SOURCE_DDL, TARGET_DDL, seedSql } from './fixture';
import { ROOT, compileEngine, runChild } from './child';
import { freshDatabase, run, server, type TestDatabase } from './targets';

const servers: string[] = server ? ['server'] : [];

(servers.length ? describe.each(servers) : describe.each(['pglite only']))('kill -9 during the data phase (%s)', (kind) => {
  if (kind !== 'server') {
    it('needs a server: PGlite lives inside the killed process', () => expect(server).toBeUndefined());
    return;
  }
  let source: TestDatabase;
  let target: TestDatabase;
  let work: string;
  let copies: TableCopy[];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'sm-data-kill-'));
    compileEngine(join(work, 'dist'));
    source = await freshDatabase('server', 'data_kill_src');
    target = await freshDatabase('server', 'data_kill_tgt');
    await run(source, SOURCE_DDL + seedSql(20000));
    await run(target, TARGET_DDL);
    const src = await source.connect();
    copies = planData(await introspect(src, { includeSchemas: ['app'] }), { tables: {}, schemaRename: {} });
    await src.close();
    writeFileSync(join(work, 'tables.json'), JSON.stringify(copies));
  }, 300_000);

  afterAll(async () => {
    await source?.drop();
    await target?.drop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  // The snapshot is held here, outside the killed process, so every run reads the same instant
  // and resumes chunk by chunk; when the holder dies too, snapshot.e2e.test.ts covers the restart.
  let holder: SnapshotHolder | null = null;
  afterAll(async () => holder?.release());

  it('resumes after SIGKILL at 12 points with zero missing and zero duplicate rows', async () => {
    holder = await SnapshotHolder.take(source.connect);
    const env = {
      NODE_PATH: join(ROOT, 'node_modules'), SM_DIST: join(work, 'dist'), SM_TABLES: join(work, 'tables.json'), SM_SOURCE: source.url, SM_TARGET: target.url,
      SM_BATCH: '200', SM_SNAPSHOT: holder!.id,
    };
    const progress = new Set<number>();
    for (let i = 0; i < 12; i++) {
      // Mostly right after a commit; every third run at a moment unrelated to commits, mid-chunk.
      const child = i % 3 === 2 ? await runChild(env, null, 15 + 10 * i) : await runChild(env, 2 + (i % 5), null);
      expect({ run: i, finished: child.finished }).toEqual({ run: i, finished: false });
      progress.add(await committedChunks(target));
    }
    expect(progress.size).toBeGreaterThanOrEqual(10);
    const last = await runChild(env, null, null);
    expect(last.finished).toBe(true);

    const [s, t] = [await source.connect(), await target.connect()];
    try {
      for (const copy of copies) {
        const want = await dataChecksums(s, copy, 'source', 250);
        expect({ id: copy.id, ...(await dataChecksums(t, copy, 'target', 250)) }).toEqual({ id: copy.id, ...want });
      }
      const chunkRows = await t.query<{ id: string; n: string }>('select table_id as id, sum(rows)::text as n from supamigrate.data_chunks where chunk_no >= 0 group by 1 order by 1');
      const counts = await Promise.all(copies.map(async (c) => [c.id, (await t.query<{ n: string }>(`select count(*)::text as n from app.${c.target.table}`)).rows[0].n]));
      expect(chunkRows.rows.map((r) => [r.id, r.n])).toEqual(counts.sort());
    } finally {
      await s.close();
      await t.close();
    }
  });
});

async function committedChunks(target: TestDatabase): Promise<number> {
  const c = await target.connect();
  try {
    const r = await c.query<{ n: string }>("select count(*)::text as n from supamigrate.data_chunks where chunk_no >= 0 and to_regclass('supamigrate.data_chunks') is not null");
    return Number(r.rows[0].n);
  } catch {
    return 0;
  } finally {
    await c.close();
  }
}
