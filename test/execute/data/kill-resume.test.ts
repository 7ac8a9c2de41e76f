import { execFileSync, spawn } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { dataChecksums } from '../../../src/execute/data';
import { introspect } from '../../../src/introspect';
import { planData, type TableCopy } from '../../../src/plan/data';
import { SOURCE_DDL, TARGET_DDL, seedSql } from './fixture';
import { freshDatabase, run, server, type TestDatabase } from './targets';

const ROOT = join(__dirname, '..', '..', '..');

/** Compiles only the engine's import closure into a scratch folder, leaving the shared dist alone. */
function compileEngine(outDir: string): void {
  const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
  const flags = ['--outDir', outDir, '--rootDir', join(ROOT, 'src'), '--target', 'ES2022', '--module', 'commonjs', '--moduleResolution', 'node',
    '--esModuleInterop', '--skipLibCheck', '--resolveJsonModule', '--types', 'node', '--strict'];
  execFileSync(tsc, [...flags, join(ROOT, 'src/execute/data/index.ts'), join(ROOT, 'src/db/index.ts')], { stdio: 'pipe' });
}

interface ChildRun {
  chunksSeen: number;
  finished: boolean;
}

/** Starts the child and SIGKILLs it once it reports `killAfter` committed chunks, or `killAfterMs` after its first. */
function runChild(env: NodeJS.ProcessEnv, killAfter: number | null, killAfterMs: number | null): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'copy-child.js')], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const state: ChildRun = { chunksSeen: 0, finished: false };
    let buffered = '';
    let stderr = '';
    // A timed kill counts from the first commit, so every run makes progress however slow the start.
    let timer: NodeJS.Timeout | null = null;
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.stdout.on('data', (b: Buffer) => {
      buffered += b.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const e = JSON.parse(line) as { type: string; ok?: boolean };
        if (e.type === 'chunk-done') state.chunksSeen += 1;
        if (e.type === 'chunk-done' && killAfterMs !== null && !timer) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        if (e.type === 'result') state.finished = e.ok === true;
        if (killAfter !== null && state.chunksSeen >= killAfter) child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`child failed (${code}): ${stderr}`));
      else resolve(state);
    });
  });
}

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

  it('resumes after SIGKILL at 12 points with zero missing and zero duplicate rows', async () => {
    const env = { NODE_PATH: join(ROOT, 'node_modules'), SM_DIST: join(work, 'dist'), SM_TABLES: join(work, 'tables.json'), SM_SOURCE: source.url, SM_TARGET: target.url, SM_BATCH: '200' };
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
