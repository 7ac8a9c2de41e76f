import { dataWorkerProject } from '../commands/data-worker';
import { UserError } from '../errors';
import { INTERRUPTED_EXIT, withInterrupt } from './interrupt';
import type { CliContext } from './context';

/** `apply --data-worker`: one line per loaded chunk, then what it loaded and why it stopped. */
export async function runDataWorkerCli(
  { out, globals, spec, setCode }: Pick<CliContext, 'out' | 'globals' | 'spec' | 'setCode'>,
  o: { wait: string; json?: boolean },
): Promise<void> {
  const waitSeconds = Number(o.wait);
  if (!Number.isFinite(waitSeconds) || waitSeconds < 0)
    throw new UserError(`--wait ${o.wait} is not a number of seconds`, 'pass --wait 60, say');
  const r = await withInterrupt(out, (signal) =>
    dataWorkerProject(spec(), {
      source: globals().source,
      target: globals().target,
      waitSeconds,
      signal,
      onChunk: (c) => (o.json ? undefined : out.line(`loaded ${c.table} chunk ${c.chunk}: ${c.rows} rows`)),
    }),
  );
  if (o.json) out.json(r);
  else out.line(`data worker: ${r.chunks} chunks, ${r.rows} rows; ${r.ended}`);
  if (r.ended === 'interrupted') setCode(INTERRUPTED_EXIT);
  else if (r.ended === 'no run') setCode(1);
}
