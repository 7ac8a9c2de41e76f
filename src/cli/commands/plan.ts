import { Option } from 'commander';
import type { CliContext } from '../context';
import type { PlanFlags } from '../run/plan';

/** `supamigrate plan`. */
export function addPlanCommand(context: CliContext): void {
  context.program
    .command('plan')
    .description('write the generated files (migrations, manifest)')
    .option('--check', 'write nothing; exit 1 when the committed files differ from what would be generated')
    .option(
      '--diff <git-ref>',
      'write nothing; show what changes since the plan committed at <git-ref> (for a pull request)',
    )
    .addOption(new Option('--format <format>', 'output of --diff').choices(['markdown', 'json']).default('markdown'))
    .option(
      '--base <git-ref>',
      'the committed plan an evolution file starts from (default: the default branch, else HEAD)',
    )
    .action(async (o: PlanFlags) => (await import('../run/plan')).runPlan(context, o));
}
