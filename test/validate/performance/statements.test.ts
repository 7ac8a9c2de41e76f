import { freshDatabase, withDb } from '../../helpers/databases';
import { readOnlyOnSource } from '../../../src/validate/performance/source-guard';
import { topStatements } from '../../../src/validate/performance/statements';

const server = process.env.TEST_DATABASE_URL ? describe : describe.skip;

/**
 * A source where pg_stat_statements was created but is not in shared_preload_libraries (dbdev's
 * migrations create it; a server restarted without the preload keeps it): every read of the view
 * raises 55000. init and validate read it for the top statements and must go on without them.
 */
server('topStatements on a source with pg_stat_statements not preloaded', () => {
  it('gives no statement instead of failing, and leaves the transaction usable', async () => {
    const db = await freshDatabase('server', 'topstmt');
    try {
      await withDb(db.url, async (conn) => {
        await conn.exec('create extension pg_stat_statements');
        const preloaded = (await conn.query<{ on: boolean }>(`select current_setting('shared_preload_libraries') ~ 'pg_stat_statements' as on`)).rows[0].on;
        const after = await readOnlyOnSource(conn, 10_000, async () => {
          const top = await topStatements(conn, 10);
          // Preloaded, the view answers (with whatever this server ran); not preloaded, nothing.
          if (!preloaded) expect(top).toEqual([]);
          return (await conn.query<{ n: number }>('select 1 as n')).rows[0].n;
        });
        expect(after).toBe(1);
      });
    } finally {
      await db.drop();
    }
  });
});
