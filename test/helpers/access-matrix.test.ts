import { bootstrap } from '../../src/bootstrap';
import { accessMatrix, MATRIX_ACTORS } from './access-matrix';
import { freshDatabase, withDb } from './databases';

const server = process.env.TEST_DATABASE_URL ? describe : describe.skip;

/**
 * The matrix probes inserts by copying each row back; a table without columns (apflora's
 * fuzzysearch tables, postgrest's test.rollen) has nothing to copy and takes a row of defaults,
 * which the same INSERT privilege allows. Seeded, such tables have rows to probe.
 */
server('accessMatrix on a table without columns', () => {
  it('counts the rows anon can insert instead of a syntax error', async () => {
    const db = await freshDatabase('server', 'matrixnocols');
    try {
      const matrix = await withDb(db.url, async (conn) => {
        await bootstrap(conn);
        // Supabase's default privileges grant anon INSERT on new tables; RLS is off here.
        await conn.exec('create table public.no_columns (); insert into public.no_columns default values');
        return accessMatrix(conn, ['public.no_columns'], MATRIX_ACTORS.slice(0, 1));
      });
      expect(matrix['public.no_columns anon insert']).toBe(1);
      expect(matrix['public.no_columns anon select']).toBe(1);
    } finally {
      await db.drop();
    }
  });
});
