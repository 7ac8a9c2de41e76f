import { openDb, type Db } from '../../src/db';

const url = process.env.TEST_DATABASE_URL;

/** The part of pg's client this test watches: its own queue of queries not yet sent. */
interface PgClient {
  query: (...args: unknown[]) => unknown;
  _queryQueue: unknown[];
}

/**
 * Queries asked together on one server connection (introspection asks its catalog reads at
 * once): each gets its own rows, they run in the order asked, a failing one fails alone outside
 * a transaction, and none is handed to pg while another waits in pg's queue (pg 8 prints a
 * deprecation warning for that, once per process).
 */
(url ? describe : describe.skip)('pg queries asked together', () => {
  let db: Db;
  const queuedInPg: number[] = [];

  beforeAll(async () => {
    db = await openDb(url as string);
    const client = (db as unknown as { client: PgClient }).client;
    const query = client.query.bind(client);
    client.query = (...args: unknown[]) => {
      queuedInPg.push(client._queryQueue.length);
      return query(...args);
    };
  });
  afterAll(async () => {
    await db.close();
  });

  it('answers each with its own rows, in the order asked, none queued inside pg', async () => {
    const asked = Array.from({ length: 20 }, (_, i) =>
      db.query<{ n: number; at: string }>(`select $1::int as n, clock_timestamp()::text as at`, [i]),
    );
    const answers = await Promise.all(asked);
    expect(answers.map((a) => a.rows[0].n)).toEqual([...Array(20).keys()]);
    const times = answers.map((a) => a.rows[0].at);
    expect([...times].sort()).toEqual(times);
    expect(queuedInPg.length).toBeGreaterThanOrEqual(20);
    expect(Math.max(...queuedInPg)).toBe(0);
  });

  it('fails only the query that fails, and goes on with the next', async () => {
    const results = await Promise.allSettled([
      db.query(`select 1 as one`),
      db.query(`select 1 / 0`),
      db.query<{ two: number }>(`select 2 as two`),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[2] as PromiseFulfilledResult<{ rows: { two: number }[] }>).value.rows).toEqual([{ two: 2 }]);
  });

  it('keeps them inside the transaction they were asked in', async () => {
    const seen = await db.transaction(async (tx) => {
      await tx.exec(`create temp table line_probe (n int) on commit drop`);
      await Promise.all([1, 2, 3].map((n) => tx.query(`insert into line_probe values ($1)`, [n])));
      return (await tx.query<{ n: number }>(`select n from line_probe order by n`)).rows.map((r) => r.n);
    });
    expect(seen).toEqual([1, 2, 3]);
  });
});
