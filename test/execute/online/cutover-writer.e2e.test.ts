import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { initProject } from '../../../src/commands/init';
import { planProject } from '../../../src/commands/plan';
import { bootstrapTarget } from '../../../src/commands/bootstrap';
import { loadSpec } from '../../../src/spec';
import { startCli } from '../../helpers/cli';
import { describeEach, freshDatabase, type FreshDatabase, withDb } from '../../helpers/databases';

/**
 * An application that keeps its session open through the cutover: one session commits small
 * two-statement transactions in a loop, another holds a transaction open across the write stop.
 * The default read-only setting does not reach open sessions, so cutover ends them: every write
 * the application saw committed is on the target, none after the fence is accepted, and no
 * transaction is half there (the ledger sums to the total).
 */
const server = process.env.TEST_DATABASE_URL;
const kinds = server ? ['server'] : [];

interface Writer {
  acked: number[];
  /** Attempts that failed, and when (relative to the cutover's end). */
  failures: { message: string; afterCutover: boolean }[];
  attemptsAfterCutover: number;
  cutoverDone: boolean;
  stop: boolean;
  done: Promise<void>;
}

function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  // A session the cutover terminates reports it here as well as on the pending query.
  client.on('error', () => undefined);
  return client.connect().then(() => client);
}

function startWriter(url: string): Writer {
  const w: Writer = {
    acked: [],
    failures: [],
    attemptsAfterCutover: 0,
    cutoverDone: false,
    stop: false,
    done: Promise.resolve(),
  };
  w.done = (async () => {
    let client: Client | null = null;
    while (!w.stop) {
      const after = w.cutoverDone;
      if (after) w.attemptsAfterCutover++;
      try {
        client ??= await connect(url);
        await client.query('begin');
        const r = await client.query<{ id: string }>('insert into ledger (amount) values (1) returning id::text as id');
        await client.query('update totals set total = total + 1 where id = 1');
        await client.query('commit');
        w.acked.push(Number(r.rows[0].id));
      } catch (err) {
        w.failures.push({ message: (err as Error).message, afterCutover: after });
        await client?.end().catch(() => undefined);
        client = null;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    await client?.end().catch(() => undefined);
  })();
  return w;
}

async function ledger(url: string): Promise<{ ids: number[]; sum: number; total: number; held: number }> {
  return withDb(url, async (db) => {
    const ids = await db.query<{ id: string }>('select id::text as id from ledger order by id');
    const t = await db.query<{ s: string; t: string; held: string }>(
      `select coalesce((select sum(amount) from ledger), 0)::text as s, (select sum(total) from totals)::text as t,
        (select count(*) from ledger where amount = 1000)::text as held`,
    );
    const row = t.rows[0];
    return { ids: ids.rows.map((r) => Number(r.id)), sum: Number(row.s), total: Number(row.t), held: Number(row.held) };
  });
}

describeEach(kinds, 'cutover with an application session open on %s', () => {
  let source: FreshDatabase;
  let target: FreshDatabase;
  let dir: string;
  const cli = (args: string[]) =>
    startCli([...args, '--spec', join(dir, 'migration.yaml')], {
      env: { SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: target.url },
    });

  beforeEach(async () => {
    source = await freshDatabase('server', 'cwsrc');
    target = await freshDatabase('server', 'cwtgt');
    await withDb(source.url, (db) =>
      db.exec(`create table ledger (id bigserial primary key, amount integer not null);
        create table totals (id integer primary key, total bigint not null);
        insert into totals values (1, 0), (2, 0);
        insert into ledger (amount) select 1 from generate_series(1, 500);
        update totals set total = 500 where id = 1;`),
    );
    dir = mkdtempSync(join(tmpdir(), 'sm-cutover-writer-'));
    await initProject({ source: source.url, dir, name: 'cutwriter' });
    planProject(
      loadSpec(join(dir, 'migration.yaml'), { SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: target.url }),
    );
    await bootstrapTarget(target.url);
  });

  afterEach(async () => {
    await withDb(server as string, (db) =>
      db.query(
        'select pg_drop_replication_slot(slot_name) from pg_replication_slots where database = $1 and not active',
        [source.url.split('/').pop()],
      ),
    );
    await source.drop();
    await target.drop();
  });

  it('refuses its writes after the fence; every committed one is on the target, none half-applied', async () => {
    const writer = startWriter(source.url);
    let open: Client | null = null;
    try {
      await new Promise((r) => setTimeout(r, 500));
      expect((await cli(['apply', '--online'])).code).toBe(0);
      expect((await cli(['sync', '--until-lag', '1'])).code).toBe(0);
      // Begun before the write stop, never committed before it: it must not survive anywhere.
      open = await connect(source.url);
      await open.query('begin');
      await open.query('insert into ledger (amount) values (1000)');
      // Its own totals row, so the writer's transactions do not wait for its lock.
      await open.query('update totals set total = total + 1000 where id = 2');
      const ackedBefore = writer.acked.length;
      const cut = await cli(['cutover']);
      expect(cut.stderr).toBe('');
      expect(cut.code).toBe(0);
      writer.cutoverDone = true;
      await expect(open.query('commit')).rejects.toThrow();
      await new Promise((r) => setTimeout(r, 500));
      writer.stop = true;
      await writer.done;
      expect(writer.acked.length).toBeGreaterThan(ackedBefore);
    } finally {
      writer.stop = true;
      await writer.done;
      await open?.end().catch(() => undefined);
    }
    // Its writes after the fence fail: the session was ended, new sessions start read-only.
    expect(writer.failures.length).toBeGreaterThan(0);
    expect(writer.attemptsAfterCutover).toBeGreaterThan(0);
    const after = writer.failures.filter((f) => f.afterCutover);
    expect(after).toHaveLength(writer.attemptsAfterCutover);
    expect(after.every((f) => /read-only/.test(f.message))).toBe(true);
    const [src, tgt] = [await ledger(source.url), await ledger(target.url)];
    // Nothing lost: every acknowledged id is on the target; nothing extra or half there.
    expect(tgt.ids).toEqual(src.ids);
    expect(tgt.ids).toEqual(expect.arrayContaining(writer.acked));
    expect(tgt.sum).toBe(tgt.total);
    expect(src.sum).toBe(src.total);
    // The transaction held open across the stop is on neither side.
    expect([src.held, tgt.held]).toEqual([0, 0]);
  });
});
