import type { Client } from 'pg';
import type { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { Db, QueryResult } from './types';

/* eslint-disable @typescript-eslint/no-require-imports */
// The driver is loaded on first use: commands that connect to nothing (plan) start faster.
let driver: typeof import('pg') | undefined;
const pg = () => (driver ??= require('pg') as typeof import('pg'));
const copyStreams = () => require('pg-copy-streams') as { from: typeof copyFrom; to: typeof copyTo };
/* eslint-enable @typescript-eslint/no-require-imports */

// Keep exact values: int8 and numeric stay strings, timestamps stay Postgres text, so nothing
// is rounded or shifted by a time zone between source and target.
const TEXT_TYPES = [20, 1700, 1082, 1114, 1184, 1083, 1266];
const rawParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (TEXT_TYPES.includes(oid)) return (v: string) => v;
    return pg().types.getTypeParser(oid, format as 'text');
  },
};

/**
 * The client's queries, one on the wire at a time as pg 8 wants, in the order they were asked.
 * The next one is sent from the completion callback of the last, before any caller's code runs
 * on its rows: queries asked together (introspection's) keep the server busy meanwhile.
 */
class QueryLine {
  private readonly waiting: (() => void)[] = [];
  private busy = false;

  constructor(private readonly client: Client) {}

  run<R>(config: { text: string; values?: unknown[]; types?: typeof rawParsers }): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const send = () =>
        this.client.query(config as never, (err: Error | null, res: unknown) => {
          const next = this.waiting.shift();
          if (next) next();
          else this.busy = false;
          if (err) reject(err);
          else resolve(res as R);
        });
      if (this.busy) this.waiting.push(send);
      else {
        this.busy = true;
        send();
      }
    });
  }
}

class PgDb implements Db {
  readonly kind = 'pg' as const;
  constructor(
    readonly client: Client,
    private readonly owned = true,
    private readonly line = new QueryLine(client),
  ) {}

  async query<R>(sql: string, params: unknown[] = []): Promise<QueryResult<R>> {
    const r = await this.line.run<{ rows: R[]; rowCount: number | null }>({
      text: sql,
      values: params,
      types: rawParsers,
    });
    return { rows: r.rows, affectedRows: r.rowCount ?? 0 };
  }

  async exec(sql: string): Promise<void> {
    await this.line.run({ text: sql });
  }

  async transaction<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    await this.line.run({ text: 'begin' });
    try {
      const result = await fn(new PgDb(this.client, false, this.line));
      await this.line.run({ text: 'commit' });
      return result;
    } catch (err) {
      await this.line.run({ text: 'rollback' }).catch(() => undefined);
      throw err;
    }
  }

  copyOut(sql: string) {
    return this.client.query(copyStreams().to(sql));
  }

  copyIn(sql: string) {
    return this.client.query(copyStreams().from(sql));
  }

  async close(): Promise<void> {
    if (this.owned) await this.client.end();
  }
}

export async function openPg(
  connectionString: string,
  applicationName = 'supamigrate',
): Promise<Db & { client: Client }> {
  const client = new (pg().Client)({
    connectionString,
    application_name: applicationName,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client whose server goes away emits 'error'; without a listener Node would crash.
  client.on('error', () => undefined);
  await client.connect();
  return new PgDb(client);
}
