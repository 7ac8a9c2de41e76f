import type { CliContext } from '../context';
import type { ApplyFlags } from '../run/apply';

/** `supamigrate apply`. */
export function addApplyCommand(context: CliContext): void {
  context.program
    .command('apply')
    .description('apply the committed plan to the target, step by step with checkpoints')
    .option('--dry-run', 'run every step in one transaction and roll it back')
    .option('--verify', 'after applying, compare row counts and checksums of every table with the source')
    .option('--json', 'machine-readable output')
    .option('--allow-drift', 'apply even when objects the plan owns were changed outside supamigrate')
    .option('--online', "copy from a replication slot's snapshot, then `sync` and `cutover` (the source keeps running)")
    .option('--share-data', 'offer the data phase to `apply --data-worker` processes on other machines')
    .option('--data-worker', 'load chunks offered by an `apply --share-data` leader on the same target, then exit')
    .option('--wait <seconds>', '--data-worker: how long to wait for a leader to offer chunks', '60')
    .action(async (o: ApplyFlags) => (await import('../run/apply')).runApply(context, o));
}
