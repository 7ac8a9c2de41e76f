import type { LogicalReplicationService, Pgoutput, PgoutputPlugin } from 'pg-logical-replication';

type Library = typeof import('pg-logical-replication');

/** The replication library, loaded on first use: only `sync` streams, and loading it slows every start. */
function library(): Library {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('pg-logical-replication') as Library;
}

export type { Pgoutput };

/**
 * pgoutput as the library decodes it, but with every column value left as the server's text:
 * the library would parse timestamps into Dates (losing microseconds) and numbers into floats,
 * and the target takes the text back exactly. A relation message is decoded before the rows
 * that use it, so setting its parsers here covers every row.
 */
export function textPgoutput(options: ConstructorParameters<typeof PgoutputPlugin>[0]): PgoutputPlugin {
  class TextPgoutput extends library().PgoutputPlugin {
    parse(buffer: Buffer): Pgoutput.Message {
      const message = super.parse(buffer) as Pgoutput.Message;
      if (message.tag === 'relation') for (const c of message.columns) c.parser = (raw: unknown) => raw;
      return message;
    }
  }
  return new TextPgoutput(options);
}

/**
 * A replication connection that streams the slot's changes. Acknowledgements are ours alone:
 * the source may forget a change only after the target committed it.
 */
export function replicationService(sourceUrl: string): LogicalReplicationService {
  return new (library().LogicalReplicationService)(
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
