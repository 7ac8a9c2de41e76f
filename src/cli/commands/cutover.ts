import type { CliContext } from '../context';
import type { CutoverFlags } from '../run/cutover';

/** `supamigrate cutover`: the end of an online migration. */
export function addCutoverCommand(context: CliContext): void {
  context.program
    .command('cutover')
    .description('stop writes on the source, replay to a fence, set sequences, compare checksums, drop the slot')
    .option(
      '--write-stop <method>',
      'read-only | revoke | already-stopped (default: online.write_stop, else read-only)',
    )
    .option(
      '--app-role <role>',
      'the application role whose write privileges `revoke` takes away (default: online.app_role)',
    )
    .option(
      '--session-wait <seconds>',
      'how long open source sessions may take to end (default: online.session_wait_seconds, 10)',
    )
    .option('--json', 'machine-readable output')
    .action(async (o: CutoverFlags) => (await import('../run/cutover')).runCutover(context, o));
}
