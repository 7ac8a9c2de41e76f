import type { Readable, Writable } from 'stream';

/** One small interface over a Postgres connection, served by `pg` for servers and PGlite in process. */
export interface QueryResult<R = Record<string, unknown>> {
  rows: R[];
  affectedRows: number;
}

export interface Db {
  /** `pg` for a server, `pglite` for the embedded database. */
  readonly kind: 'pg' | 'pglite';
  /** A parameterised statement ($1, $2, ...). */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<R>>;
  /** One or more statements without parameters (simple query protocol). */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in BEGIN/COMMIT on this connection, ROLLBACK if it throws. */
  transaction<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Servers only: `COPY ... TO STDOUT` as a stream of the rows in COPY text format. */
  copyOut?(sql: string): Readable;
  /** Servers only: `COPY ... FROM STDIN`; the stream finishes once the server has taken every row. */
  copyIn?(sql: string): Writable & { rowCount: number };
}
