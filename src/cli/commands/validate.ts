import { validateProject, type ValidateOptions, type ValidateResult } from '../../commands/validate';
import { securityMatrixLines } from '../render/security';
import { storageLines } from '../../validate/storage';
import { vectorLines } from '../render/vectors';
import { performanceLines } from '../render/performance';
import { PerformanceProgress } from '../performance-progress';
import { progressMode } from '../progress';
import { differenceLines, parityLines } from '../render';
import type { CliContext } from '../context';

/** The checks are the options validate takes; commander gives `--report` as text. */
type ValidateFlags = Pick<ValidateOptions, 'schema' | 'data' | 'security' | 'storage' | 'vectors' | 'performance'> & {
  report?: string;
  json?: boolean;
};

/** `supamigrate validate`. */
export function addValidateCommand({ program, out, globals, spec, setCode }: CliContext): void {
  program
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
    .action(async (o: ValidateFlags) => {
      const progress = new PerformanceProgress(progressMode(o.json, process.stdout.isTTY), out);
      const r = await validateProject(spec(), {
        source: globals().source,
        target: globals().target,
        schema: o.schema,
        data: o.data,
        security: o.security,
        storage: o.storage,
        vectors: o.vectors,
        performance: o.performance,
        report: o.report,
        onProgress: o.performance ? progress.onProgress : undefined,
      }).finally(() => progress.settle());
      if (o.json) out.json(r);
      else validateLines(r).forEach((l) => out.line(l));
      if (!r.ok) setCode(1);
    });
}

/** The text report: one block per check that ran. */
function validateLines(r: ValidateResult): string[] {
  return [
    ...(r.schema ? differenceLines(r.schema.differences) : []),
    ...(r.data ? parityLines(r.data.tables) : []),
    ...(r.security ? securityMatrixLines(r.security) : []),
    ...(r.storage ? storageLines(r.storage) : []),
    ...(r.vectors ? vectorLines(r.vectors) : []),
    ...(r.performance ? performanceLines(r.performance) : []),
    ...(r.report ? [`report: ${r.report}`] : []),
  ];
}
