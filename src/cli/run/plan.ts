import { classifyProjectApi } from '../../commands/analyze';
import { renderClassification } from '../render/functions';
import { planProject } from '../../commands/plan';
import { leftOutLines, storageFilesSummary } from '../../execute/storage/report';
import type { CliContext } from '../context';

export interface PlanFlags {
  check?: boolean;
  diff?: string;
  format: 'markdown' | 'json';
  base?: string;
}

/** The work of `supamigrate plan`, loaded only when that command runs. */
export async function runPlan({ out, globals, spec, setCode }: CliContext, o: PlanFlags): Promise<void> {
  const offline = spec('offline');
  // --diff reads another plan and renders findings: loaded only then.
  if (o.diff !== undefined)
    return (await import('../plan-diff')).planDiffCommand(offline, o.diff, o.format, globals().source, out);
  const r = planProject(offline, { check: o.check, base: o.base });
  if (o.check) {
    const problems = [...r.changed.map((f) => `  out of date: ${f}`), ...r.stale.map((f) => `  stale: ${f}`)];
    if (problems.length === 0) out.line(`plan is up to date (${r.plan.steps.length} steps, ${r.files.length} files)`);
    else {
      out.error(
        [
          'the committed plan differs from what the spec and snapshot generate:',
          ...problems,
          'run `supamigrate plan` and commit the result',
        ].join('\n'),
      );
      setCode(1);
    }
    return;
  }
  for (const f of r.changed) out.line(`wrote ${f}`);
  for (const f of r.stale) out.line(`stale (no longer generated, delete it): ${f}`);
  if (r.evolution) out.line(`evolution: ${r.evolution} moves a database from the committed plan to this one`);
  for (const line of r.rewrites) out.line(`  ${line}`);
  const skipped =
    r.skipped.length > 0
      ? `, ${r.skipped.length} source object${r.skipped.length === 1 ? '' : 's'} skipped on purpose (schema.skip_objects)`
      : '';
  out.line(
    `${r.plan.steps.length} steps in ${r.files.length} files${skipped}${r.changed.length === 0 ? ', nothing changed' : ''}`,
  );
  leftOutLines(storageFilesSummary(offline), { list: true }).forEach((l) => out.line(l));
  for (const line of r.names) out.line(line);
  const api = classifyProjectApi(offline);
  if (api) out.line(renderClassification(api, { brief: true }).join('\n'));
}
