import { Option } from 'commander';
import type { CliContext } from '../context';
import type { RollbackFlags } from '../run/rollback';

/** `supamigrate rollback`. */
export function addRollbackCommand(context: CliContext): void {
  context.program
    .command('rollback')
    .description('undo applied steps, newest first')
    .addOption(
      new Option(
        '--to <checkpoint>',
        'keep this checkpoint (step id or number) and undo everything after it',
      ).conflicts('all'),
    )
    .option('--all', 'undo every applied step')
    .option('--json', 'machine-readable output')
    .action(async (o: RollbackFlags) => (await import('../run/rollback')).runRollback(context, o));
}
