import { Option } from 'commander';
import type { CliContext } from '../context';
import type { StatusFlags } from '../run/status';

/** `supamigrate status`. */
export function addStatusCommand(context: CliContext): void {
  context.program
    .command('status')
    .description('applied, pending and changed steps on the target')
    .option('--json', 'machine-readable output')
    .option('--steps', 'list every step, not only the summary per phase')
    .addOption(
      new Option('--offline', 'the committed plan and its lock only: no connection, no URL variable read').conflicts(
        'drift',
      ),
    )
    .option(
      '--drift',
      'also compare the objects the plan owns with the target as the last apply left them; exit 1 on drift',
    )
    .option('--sync', 'the online migration: lag, WAL the slot retains on the source, state of each table')
    .action(async (o: StatusFlags) => (await import('../run/status')).runStatus(context, o));
}
