import { Option } from 'commander';
import type { CliContext } from '../context';

/** `supamigrate status`. */
export function addStatusCommand({ program, out, globals, spec, setCode }: CliContext): void {
  program
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
    .action(async (o: { json?: boolean; drift?: boolean; steps?: boolean; offline?: boolean; sync?: boolean }) => {
      const { offlineStatus } = await import('../../commands/plan');
      const { statusProject } = await import('../../commands/target');
      const { syncStatusLines } = await import('../online');
      const { offlineStatusLines, statusLines } = await import('../render');
      if (o.sync) return syncStatusLines(spec(), globals(), o.json === true, out, setCode);
      if (o.offline) {
        const plan = offlineStatus(spec('offline'));
        if (o.json) out.json(plan);
        else offlineStatusLines(plan.steps, plan.lockProblem, o.steps === true).forEach((l) => out.line(l));
        return setCode(plan.lockProblem === null ? 0 : 1);
      }
      const r = await statusProject(spec(), { target: globals().target, drift: o.drift });
      if (o.json) out.json(r);
      else statusLines(r, { steps: o.steps }).forEach((l) => out.line(l));
      if (r.drift && r.drift.items.length > 0) setCode(1);
    });
}
