import { offlineStatus, statusProject } from '../../commands/status';
import { syncStatusLines } from '../online';
import { offlineStatusLines, statusLines } from '../render';
import type { CliContext } from '../context';

export interface StatusFlags {
  json?: boolean;
  drift?: boolean;
  steps?: boolean;
  offline?: boolean;
  sync?: boolean;
}

/** The work of `supamigrate status`, loaded only when that command runs. */
export async function runStatus({ out, globals, spec, setCode }: CliContext, o: StatusFlags): Promise<void> {
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
}
