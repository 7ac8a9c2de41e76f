import type { CliContext } from '../context';
import type { ValidateFlags } from '../run/validate';

/** `supamigrate validate`. */
export function addValidateCommand(context: CliContext): void {
  context.program
    .command('validate')
    .description(
      'compare the target with the source as the plan maps it: schema, data, access matrix and advisor lints',
    )
    .option('--schema', 'only the schema')
    .option('--data', 'only the data: row counts and checksums per table and key range')
    .option(
      '--security',
      'only the access matrix (every table x role x operation run as PostgREST would) and the advisor lints',
    )
    .option(
      '--storage',
      'only storage: objects against the manifests (count, size, checksum), rewritten references, bucket access',
    )
    .option(
      '--vectors',
      'only the vector columns: dimensions of every row, and recall@10 of the index against brute force on the source',
    )
    .option('--performance', 'only query performance: the workload timed on source and target, plans compared')
    .option('--report <path>', 'write the HTML report there (default with --performance: <state>/report/index.html)')
    .option('--json', 'machine-readable output')
    .action(async (o: ValidateFlags) => (await import('../run/validate')).runValidate(context, o));
}
