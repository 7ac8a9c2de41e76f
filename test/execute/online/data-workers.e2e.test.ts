import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initProject } from '../../../src/commands/init';
import { planProject } from '../../../src/commands/plan';
import { bootstrapTarget } from '../../../src/commands/bootstrap';
import { loadSpec } from '../../../src/spec';
import { BIN, startCli, type CliRun } from '../../helpers/cli';
import { describeEach, freshDatabase, type FreshDatabase, withDb } from '../../helpers/databases';

/**
 * Three `apply --data-worker` processes share the data phase of an `apply --share-data` leader;
 * one is SIGKILLed while it streams a chunk. Its chunk goes back to the pool and is loaded once
 * by someone else; every table ends equal to the source.
 */
const server = process.env.TEST_DATABASE_URL;
const kinds = server ? ['server'] : [];
const ROWS = 100_000;

const named = (url: string, name: string) => `${url}${url.includes('?') ? '&' : '?'}application_name=${name}`;

async function fingerprint(url: string, table: string): Promise<string> {
  return withDb(url, async (db) => {
    const r = await db.query<{ n: string; h: string }>(
      `select count(*)::text as n, md5(string_agg(t::text, '|' order by t::text)) as h from ${table} t`,
    );
    return `${r.rows[0].n}:${r.rows[0].h}`;
  });
}

describeEach(kinds, 'data workers on %s', () => {
  let source: FreshDatabase;
  let target: FreshDatabase;
  let dir: string;
  const cli = (args: string[], app: string) =>
    startCli([...args, '--spec', join(dir, 'migration.yaml')], {
      env: { SOURCE_DATABASE_URL: named(source.url, app), SUPABASE_DB_URL: named(target.url, app) },
    });

  beforeEach(async () => {
    source = await freshDatabase('server', 'dwsrc');
    target = await freshDatabase('server', 'dwtgt');
    await withDb(source.url, (db) =>
      db.exec(`create table items (id bigint primary key, payload text not null);
insert into items select g, repeat(md5(g::text), 20) from generate_series(1, ${ROWS}) g;
create table tags (name text primary key);
insert into tags select 'tag' || g from generate_series(1, 500) g;
analyze`),
    );
    dir = mkdtempSync(join(tmpdir(), 'sm-dw-'));
    await initProject({ source: source.url, dir, name: 'dw' });
    const yaml = join(dir, 'migration.yaml');
    // 20 range chunks of 5000 rows; the leader runs one worker of its own.
    writeFileSync(
      yaml,
      readFileSync(yaml, 'utf8').replace(/^ {2}parallel: \d+$/m, '  chunk_rows: 5000\n  parallel: 1'),
    );
    planProject(loadSpec(yaml, { SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: target.url }));
    await bootstrapTarget(target.url);
  });

  afterEach(async () => {
    await source.drop();
    await target.drop();
  });

  /** A data worker whose process can be killed before it prints anything. */
  function startWorker(app: string) {
    const child = spawn(
      process.execPath,
      [BIN, 'apply', '--data-worker', '--wait', '120', '--spec', join(dir, 'migration.yaml')],
      {
        env: { ...process.env, SOURCE_DATABASE_URL: named(source.url, app), SUPABASE_DB_URL: named(target.url, app) },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    const run = new Promise<CliRun & { signal: NodeJS.Signals | null }>((res) =>
      child.on('exit', (code, signal) => res({ code, signal, stdout, stderr })),
    );
    return { run, kill: () => child.kill('SIGKILL') };
  }

  /** The chunk query the victim runs on the source, once it is streaming one (its claim is held). */
  async function waitForCopy(app: string, deadline: number): Promise<string> {
    return withDb(server as string, async (db) => {
      while (Date.now() < deadline) {
        const r = await db.query<{ query: string }>(
          `select query from pg_stat_activity
            where application_name = $1 and state = 'active' and query ilike 'copy (%items%' limit 1`,
          [app],
        );
        if (r.rows[0]) return r.rows[0].query;
        await new Promise((res) => setTimeout(res, 5));
      }
      throw new Error(`${app} never streamed a chunk`);
    });
  }

  it('share the chunks; a worker killed mid-chunk loses nothing and no chunk is loaded twice', async () => {
    const workers = ['smw1', 'smw2', 'smw3'].map(startWorker);
    const leader = cli(['apply', '--share-data'], 'smlead');
    // Killed while its chunk streams: the claim, the rows so far and no checkpoint are in its open transaction.
    const inFlight = await waitForCopy('smw2', Date.now() + 120_000);
    workers[1].kill();

    const [led, ...done] = await Promise.all([leader, ...workers.map((w) => w.run)]);
    expect(led.stderr).toBe('');
    expect(led.code).toBe(0);
    expect(done[1].signal).toBe('SIGKILL');
    for (const w of [done[0], done[2]]) {
      expect(w.code).toBe(0);
      expect(w.stdout).toMatch(/run closed/);
    }

    // Each chunk a worker says it loaded, loaded by one worker only.
    const said = done.flatMap((w) => [...w.stdout.matchAll(/loaded data:public\.items chunk (\d+): (\d+) rows/g)]);
    const numbers = said.map((m) => Number(m[1]));
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers.length).toBeGreaterThan(0);

    const checkpoints = await withDb(target.url, (db) =>
      db.query<{ chunk_no: number; rows: string; key_lo: string }>(
        "select chunk_no, rows::text, key_lo from supamigrate.data_chunks where table_id = 'data:public.items' and chunk_no >= 0",
      ),
    );
    expect(checkpoints.rows.reduce((n, c) => n + Number(c.rows), 0)).toBe(ROWS);
    // The killed worker's chunk was loaded once, by someone else, with all its rows.
    const lo = /id"? >= '?(\d+)/.exec(inFlight)?.[1];
    expect(lo).toBeDefined();
    const itsChunk = checkpoints.rows.find((c) => c.key_lo === lo);
    expect(itsChunk).toBeDefined();
    expect(done[1].stdout).not.toMatch(new RegExp(`items chunk ${itsChunk!.chunk_no}:`));
    const pool = await withDb(target.url, (db) => db.query('select 1 from supamigrate.data_pool'));
    expect(pool.rows.length).toBe(0);

    expect(await fingerprint(target.url, 'items')).toBe(await fingerprint(source.url, 'items'));
    expect(await fingerprint(target.url, 'tags')).toBe(await fingerprint(source.url, 'tags'));
  }, 400_000);
});
