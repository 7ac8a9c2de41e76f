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
export type ValidateFlags = Pick<
  ValidateOptions,
  'schema' | 'data' | 'security' | 'storage' | 'vectors' | 'performance'
> & {
  report?: string;
  json?: boolean;
};

/** The work of `supamigrate validate`, loaded only when that command runs. */
export async function runValidate({ out, globals, spec, setCode }: CliContext, o: ValidateFlags): Promise<void> {
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
