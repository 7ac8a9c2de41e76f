import { Option } from 'commander';
import { UserError } from '../../errors';
import type { CliContext } from '../context';

/** `supamigrate rollback`. */
export function addRollbackCommand({ program, out, globals, spec, setCode }: CliContext): void {
  program
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
    .action(async (o: { to?: string; all?: boolean; json?: boolean }) => {
      if (!o.to && !o.all) throw new UserError('rollback needs to know how far', 'pass --to <checkpoint> or --all');
      const { rollbackProject } = await import('../../commands/target');
      const { releaseOnlineLines } = await import('../online');
      const { rollbackLines } = await import('../render');
      if (o.all) await releaseOnlineLines(spec(), globals(), out);
      const r = await rollbackProject(spec(), o.all ? { all: true } : { to: o.to as string }, {
        target: globals().target,
        onStep: o.json ? undefined : (id) => out.line(`undone ${id}`),
      });
      if (o.json) out.json(r);
      else rollbackLines(r).forEach((l) => out.line(l));
      if (!r.ok) setCode(1);
    });
}
