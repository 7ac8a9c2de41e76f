import type { CliContext } from '../context';
import type { AnalyzeFlags } from '../run/analyze';

/** `supamigrate analyze`. */
export function addAnalyzeCommand(context: CliContext): void {
  context.program
    .command('analyze')
    .description('patterns, complexity, risks and estimated duration of the migration')
    .option('--json', 'machine-readable output')
    .option('--online', 'also check what an online migration needs from the source and the target (connects)')
    .action(async (o: AnalyzeFlags) => (await import('../run/analyze')).runAnalyze(context, o));
}
