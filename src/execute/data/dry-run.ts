import type { Db } from '../../db';

/**
 * The dry run's transaction, handed to the copy engine as its target. The engine opens a
 * transaction per chunk; here each becomes a savepoint inside the one dry-run transaction (a
 * BEGIN there would be ignored and its ROLLBACK would end the whole dry run). The first batch of
 * a table is loaded into the schema the dry run just created, so the target's types, checks and
 * NOT NULLs judge real rows, and the savepoint is rolled back. Closing it leaves it open: the
 * executor owns that connection.
 */
export function savepointTarget(tx: Db): Db {
  let n = 0;
  const wrap = (db: Db): Db => ({
    kind: db.kind,
    query: (sql, params) => db.query(sql, params),
    exec: (sql) => db.exec(sql),
    ...(db.copyOut ? { copyOut: (sql: string) => db.copyOut!(sql) } : {}),
    ...(db.copyIn ? { copyIn: (sql: string) => db.copyIn!(sql) } : {}),
    close: async () => undefined,
    transaction: async (fn) => {
      const name = `sm_dry_run_${++n}`;
      await db.exec(`savepoint ${name}`);
      try {
        const result = await fn(wrap(db));
        await db.exec(`release savepoint ${name}`);
        return result;
      } catch (err) {
        await db.exec(`rollback to savepoint ${name}`).catch(() => undefined);
        throw err;
      }
    },
  });
  return wrap(tx);
}
