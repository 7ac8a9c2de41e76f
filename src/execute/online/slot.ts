import type { Client } from 'pg';

/**
 * A logical replication slot created on a replication connection with its exported snapshot.
 * The snapshot stays importable only while that connection is open and idle, so the holder
 * keeps it until `release`. A temporary slot goes away with its connection.
 */
export class SlotSnapshot {
  private constructor(
    private readonly client: Client,
    readonly slot: string,
    readonly id: string,
    readonly lsn: string,
  ) {}

  static async create(sourceUrl: string, slot: string, temporary: boolean): Promise<SlotSnapshot> {
    // `replication` is a connection parameter pg passes on but does not declare in its types.
    const config = { connectionString: sourceUrl, replication: 'database', application_name: 'supamigrate slot' };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const client = new (require('pg') as typeof import('pg')).Client(config as ConstructorParameters<typeof Client>[0]);
    client.on('error', () => undefined);
    await client.connect();
    try {
      // The pre-15 spelling (EXPORT_SNAPSHOT) is accepted by every server with logical slots.
      const r = await client.query<{ consistent_point: string; snapshot_name: string }>(
        `CREATE_REPLICATION_SLOT "${slot}"${temporary ? ' TEMPORARY' : ''} LOGICAL pgoutput EXPORT_SNAPSHOT`,
      );
      return new SlotSnapshot(client, slot, r.rows[0].snapshot_name, r.rows[0].consistent_point);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
  }

  async release(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}

/** Slot and publication names: ours are recognisable, and unique per migration. */
export const OUR_PREFIX = 'supamigrate_';
