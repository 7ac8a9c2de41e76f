import { cutoverProject, type CutoverResult } from '../../commands/cutover';
import { writeStopFor } from '../../execute/online/write-stop';
import { UserError } from '../../errors';
import type { CliContext } from '../context';
import { parityLines } from '../render';

export interface CutoverFlags {
  writeStop?: string;
  appRole?: string;
  sessionWait?: string;
  json?: boolean;
}

/** The work of `supamigrate cutover`, loaded only when that command runs. */
export async function runCutover({ out, globals, spec, setCode }: CliContext, o: CutoverFlags): Promise<void> {
  const s = spec();
  const r = await cutoverProject(s, {
    ...globals(),
    writeStop: writeStopFor(s.online, o),
    sessionWaitSeconds: o.sessionWait === undefined ? undefined : waitSeconds(o.sessionWait),
    onPhase: o.json ? undefined : (p) => out.line(`cutover: ${p}`),
  });
  if (o.json) out.json(r);
  else cutoverLines(r).forEach((l) => out.line(l));
  if (!r.ok) setCode(1);
}

function cutoverLines(r: CutoverResult): string[] {
  if (r.alreadyDone) return [`already cut over (fence ${r.fenceLsn}; downtime was ${seconds(r.downtimeMs)})`];
  const seqs = r.sequences.filter((s) => s.note === null).length;
  return [
    ...parityLines(r.parity),
    `sequences set: ${seqs} of ${r.sequences.length}`,
    r.ok
      ? `cut over at ${r.fenceLsn}: downtime ${seconds(r.downtimeMs)} (from the write stop to ready); slot and publication dropped`
      : 'checksums differ: the slot and the publication are kept; the source stays stopped (see above)',
    ...(r.writeStop === 'read-only'
      ? ['the source stays read-only for new sessions (alter database ... reset default_transaction_read_only to undo)']
      : []),
  ];
}

const seconds = (ms: number | null) => (ms === null ? 'unknown' : `${(ms / 1000).toFixed(2)} s`);

function waitSeconds(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0)
    throw new UserError(`--session-wait ${text} is not a number of seconds`, 'pass a number such as 10');
  return n;
}
