import { syncProject } from '../../commands/sync';
import type { CliContext } from '../context';
import { withInterrupt } from '../interrupt';

/** `supamigrate sync`: after `apply --online`, the source's changes replayed onto the target. */
export function addSyncCommand({ program, out, globals, spec }: CliContext): void {
  program
    .command('sync')
    .description(
      "replay the source's changes since the online copy onto the target (logical replication through the engine)",
    )
    .option('--until-lag <seconds>', 'stop once the target is less than this many seconds behind')
    .option('--json', 'machine-readable output')
    .action(async (o: { untilLag?: string; json?: boolean }) => {
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
    });
}
