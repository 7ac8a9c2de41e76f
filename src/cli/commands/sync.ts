import type { CliContext } from '../context';
import type { SyncFlags } from '../run/sync';

/** `supamigrate sync`: after `apply --online`, the source's changes replayed onto the target. */
export function addSyncCommand(context: CliContext): void {
  context.program
    .command('sync')
    .description(
      "replay the source's changes since the online copy onto the target (logical replication through the engine)",
    )
    .option('--until-lag <seconds>', 'stop once the target is less than this many seconds behind')
    .option('--json', 'machine-readable output')
    .action(async (o: SyncFlags) => (await import('../run/sync')).runSync(context, o));
}
