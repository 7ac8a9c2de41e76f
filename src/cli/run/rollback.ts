import { rollbackProject } from '../../commands/rollback';
import { UserError } from '../../errors';
import { releaseOnlineLines } from '../online';
import { rollbackLines } from '../render';
import type { CliContext } from '../context';

export interface RollbackFlags {
  to?: string;
  all?: boolean;
  json?: boolean;
}

/** The work of `supamigrate rollback`, loaded only when that command runs. */
export async function runRollback({ out, globals, spec, setCode }: CliContext, o: RollbackFlags): Promise<void> {
  if (!o.to && !o.all) throw new UserError('rollback needs to know how far', 'pass --to <checkpoint> or --all');
  if (o.all) await releaseOnlineLines(spec(), globals(), out);
  const r = await rollbackProject(spec(), o.all ? { all: true } : { to: o.to as string }, {
    target: globals().target,
    onStep: o.json ? undefined : (id) => out.line(`undone ${id}`),
  });
  if (o.json) out.json(r);
  else rollbackLines(r).forEach((l) => out.line(l));
  if (!r.ok) setCode(1);
}
