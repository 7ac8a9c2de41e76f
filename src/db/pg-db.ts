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

class PgDb implements Db {
  readonly kind = 'pg' as const;
  constructor(
    readonly client: Client,
    private readonly owned = true,
  ) {}

  async query<R>(sql: string, params: unknown[] = []): Promise<QueryResult<R>> {
    const r = await this.client.query({ text: sql, values: params, types: rawParsers });
    return { rows: r.rows as R[], affectedRows: r.rowCount ?? 0 };
  }

  async exec(sql: string): Promise<void> {
    await this.client.query(sql);
  }

  async transaction<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    await this.client.query('begin');
    try {
      const result = await fn(new PgDb(this.client, false));
      await this.client.query('commit');
      return result;
    } catch (err) {
      await this.client.query('rollback').catch(() => undefined);
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
