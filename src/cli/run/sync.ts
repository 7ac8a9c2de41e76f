import { syncProject } from '../../commands/sync';
import type { CliContext } from '../context';
import { withInterrupt } from '../interrupt';

export interface SyncFlags {
  untilLag?: string;
  json?: boolean;
}

/** The work of `supamigrate sync`, loaded only when that command runs. */
export async function runSync({ out, globals, spec }: CliContext, o: SyncFlags): Promise<void> {
  const until = o.untilLag === undefined ? undefined : Number(o.untilLag);
  const r = await withInterrupt(out, (signal) =>
    syncProject(spec(), {
      ...globals(),
      untilLagSeconds: until,
      signal,
      onSample: o.json
        ? undefined
        : (s) => out.line(`lag ${s.seconds.toFixed(2)} s, ${s.bytes} bytes behind; at ${s.position}`),
    }),
  );
  if (o.json) out.json(r);
  else
    out.line(
      `synced: ${r.counts.transactions} transactions, ${r.counts.rows} row changes applied; lag ${r.last.seconds.toFixed(2)} s`,
    );
}
