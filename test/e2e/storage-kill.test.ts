import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { closeNamedPglite, withDb } from '../../src/db';
import { specStorageApi } from '../../src/execute/storage';
import type { StorageManifest } from '../../src/plan/storage';
import { describeEach } from '../helpers/databases';
import { storageExample, type StorageExample } from './storage-helpers';

jest.setTimeout(300_000);

interface ChildRun {
  done: number;
  killed: boolean;
  ok: boolean;
}

/** Runs apply in a child; SIGKILLs it once `killAfter` objects are committed (null: let it finish). */
function runChild(ex: StorageExample, killAfter: number | null): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'storage-child.js')], {
      env: { ...process.env, ...ex.env, SPEC_FILE: ex.spec.file },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run: ChildRun = { done: 0, killed: false, ok: false };
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.stdout.on('data', (b: Buffer) => {
      buffered += b.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() as string;
      for (const line of lines) {
        const e = JSON.parse(line) as { type: string; ok?: boolean };
        if (e.type === 'object-done') run.done += 1;
        if (e.type === 'result') run.ok = e.ok === true;
        if (killAfter !== null && run.done >= killAfter && !run.killed) {
          run.killed = true;
          child.kill('SIGKILL');
        }
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`child failed (${code}): ${stderr}`));
      else resolve(run);
    });
  });
}

// A child process and the test share the target, so this needs a server (PGlite lives in one process).
describeEach(process.env.TEST_DATABASE_URL ? ['server'] : [], 'storage: SIGKILL during the transfer, then resume (%s)', () => {
  let ex: StorageExample;
  const stored = new Map<string, number>();
  beforeAll(async () => {
    ex = await storageExample('server', (bucket, key) => stored.set(`${bucket}/${key}`, (stored.get(`${bucket}/${key}`) ?? 0) + 1));
  });
  afterAll(async () => {
    await ex?.close();
    await closeNamedPglite();
  });

  it('every object arrives once, with its checksum, and the rewritten paths point at objects', async () => {
    const first = await runChild(ex, 60);
    expect(first.killed).toBe(true);
    const midway = await withDb(ex.target.url, (db) => db.query<{ state: string; n: string }>('select state, count(*)::text as n from supamigrate.storage_objects group by state order by state'));
    const done = Number(midway.rows.find((r) => r.state === 'done')?.n ?? 0);
    expect(done).toBeGreaterThanOrEqual(60);
    const second = await runChild(ex, null);
    expect(second.ok).toBe(true);
    const manifests = ['avatars', 'documents'].map((b) => JSON.parse(readFileSync(join(ex.dir, `.supamigrate/storage/${b}.json`), 'utf8')) as StorageManifest);
    const total = manifests.reduce((n, m) => n + m.objects.filter((o) => o.refused === null).length, 0);
    // The resumed run moved only what the first had not committed.
    expect(second.done).toBe(total - done);
    // Re-sent at most: the uploads in flight when the first run died (storage.parallel of them).
    const twice = [...stored.values()].filter((n) => n > 1).length;
    expect(twice).toBeLessThanOrEqual(ex.spec.storage.parallel ?? 4);
    const api = specStorageApi(ex.spec);
    for (const m of manifests) {
      const expected = m.objects.filter((o) => o.refused === null);
      await withDb(ex.target.url, async (db) => {
        const rows = await db.query<{ name: string }>('select name from storage.objects where bucket_id = $1 order by name collate "C"', [m.bucket]);
        expect(rows.rows.map((r) => r.name)).toEqual(expected.map((o) => o.key));
        const states = await db.query<{ state: string }>('select distinct state from supamigrate.storage_objects where bucket_id = $1', [m.bucket]);
        expect(states.rows.map((r) => r.state)).toEqual(['done']);
      });
      for (const o of expected) {
        const { data, error } = await api.from(m.bucket).download(o.key);
        expect(error).toBeNull();
        expect(createHash('sha256').update(Buffer.from(await (data as Blob).arrayBuffer())).digest('hex')).toBe(o.sha256);
      }
    }
    await withDb(ex.target.url, async (db) => {
      const dangling = await db.query<{ p: string }>(
        `select d.file_path as p from public.documents d where not exists (select 1 from storage.objects o where o.bucket_id = 'documents' and o.name = d.file_path) order by 1`,
      );
      // Only the oversized file's row keeps its old path: it was refused, never uploaded.
      expect(dangling.rows).toHaveLength(1);
      expect(dangling.rows[0].p).toMatch(/^uploads\//);
    });
  });
});
