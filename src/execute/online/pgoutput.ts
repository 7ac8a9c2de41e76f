import { LogicalReplicationService, PgoutputPlugin, type Pgoutput } from 'pg-logical-replication';

export type { Pgoutput };

/**
 * pgoutput as the library decodes it, but with every column value left as the server's text:
 * the library would parse timestamps into Dates (losing microseconds) and numbers into floats,
 * and the target takes the text back exactly. A relation message is decoded before the rows
 * that use it, so setting its parsers here covers every row.
 */
export class TextPgoutput extends PgoutputPlugin {
  parse(buffer: Buffer): Pgoutput.Message {
    const message = super.parse(buffer) as Pgoutput.Message;
    if (message.tag === 'relation') for (const c of message.columns) c.parser = (raw: unknown) => raw;
    return message;
  }
}

/**
 * A replication connection that streams the slot's changes. Acknowledgements are ours alone:
 * the source may forget a change only after the target committed it.
 */
export function replicationService(sourceUrl: string): LogicalReplicationService {
  return new LogicalReplicationService(
    {
      connectionString: sourceUrl,
      application_name: 'supamigrate sync',
      // Values are printed by the source's output functions in this session's settings.
      options:
        '-c TimeZone=UTC -c DateStyle=ISO,YMD -c IntervalStyle=postgres -c extra_float_digits=3 -c bytea_output=hex',
    },
    { acknowledge: { auto: false, timeoutSeconds: 0 }, flowControl: { enabled: false } },
  );
}
