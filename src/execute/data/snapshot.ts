import type { Db } from '../../db';
import { literal } from '../../sql';
import { prepareSession } from './session';

/**
 * The source's exported snapshot, held open for as long as readers may import it. Every reader
 * (chunk workers, checksums, sequence values) sees the source as of this one instant, as
 * pg_dump and pgcopydb do. Only a server can export one: an embedded source has one connection
 * in this process, and nothing else can write to it meanwhile.
 */
export class SnapshotHolder {
  private constructor(
    private readonly db: Db,
    readonly id: string,
  ) {}

  /** null when the source cannot export a snapshot (PGlite). */
  static async take(connectSource: () => Promise<Db>): Promise<SnapshotHolder | null> {
    const db = await connectSource();
    if (db.kind !== 'pg') {
      await db.close();
      return null;
    }
    try {
      // A source that ends idle transactions would end the snapshot with them.
      await db.exec('set idle_in_transaction_session_timeout = 0; begin isolation level repeatable read, read only');
      const r = await db.query<{ id: string }>('select pg_export_snapshot() as id');
      return new SnapshotHolder(db, r.rows[0].id);
    } catch (err) {
      await db.close().catch(() => undefined);
      throw err;
    }
  }

  async release(): Promise<void> {
    await this.db.exec('rollback').catch(() => undefined);
    await this.db.close().catch(() => undefined);
  }
}

/**
 * Puts a source connection in a read-only REPEATABLE READ transaction that sees `snapshot`, for
 * the connection's whole life. The returned view's `transaction` runs in that one transaction
 * (a nested BEGIN/COMMIT would end the snapshot), so callers clean up what they declare.
 */
export async function readAsOf(db: Db, snapshot: string | null): Promise<Db> {
  if (snapshot === null) return db;
  await db.exec(`begin isolation level repeatable read, read only; set transaction snapshot ${literal(snapshot)}`);
  const view: Db = {
    kind: db.kind,
    query: db.query.bind(db),
    exec: db.exec.bind(db),
    transaction: (fn) => fn(view),
    close: () => db.close(),
    ...(db.copyOut ? { copyOut: db.copyOut.bind(db) } : {}),
    ...(db.copyIn ? { copyIn: db.copyIn.bind(db) } : {}),
  };
  return view;
}

/** A prepared source connection reading as of `snapshot` (or as of each statement when null). */
export async function openSourceAsOf(connectSource: () => Promise<Db>, snapshot: string | null): Promise<Db> {
  const db = await prepareSession(await connectSource());
  try {
    return await readAsOf(db, snapshot);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}

/** SQLSTATE 22023 with this text: the transaction that exported the snapshot has ended. */
export const isSnapshotGone = (err: unknown) =>
  /invalid snapshot identifier/i.test(String((err as Error)?.message ?? err));
