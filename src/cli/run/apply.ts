import { applyProject } from '../../commands/apply';
import { runDataWorkerCli } from '../data-worker';
import { validateProject } from '../../commands/validate';
import { transferLines } from '../../execute/storage/report';
import { DataProgress, progressMode } from '../progress';
import { INTERRUPTED_EXIT, resumeLines, withInterrupt } from '../interrupt';
import { applySummary, parityLines, stepLine } from '../render';
import type { CliContext } from '../context';

export interface ApplyFlags {
  dryRun?: boolean;
  verify?: boolean;
  json?: boolean;
  allowDrift?: boolean;
  online?: boolean;
  shareData?: boolean;
  dataWorker?: boolean;
  wait: string;
}

/** The work of `supamigrate apply`, loaded only when that command runs. */
export async function runApply({ out, globals, spec, setCode }: CliContext, o: ApplyFlags): Promise<void> {
  if (o.dataWorker) return runDataWorkerCli({ out, globals, spec, setCode }, o);
  const progress = new DataProgress(progressMode(o.json, process.stdout.isTTY), out);
  let verified = null as Awaited<ReturnType<typeof validateProject>> | null;
  const r = await withInterrupt(out, (signal) =>
    applyProject(spec(), {
      signal,
      target: globals().target,
      source: globals().source,
      dryRun: o.dryRun,
      allowDrift: o.allowDrift,
      online: o.online,
      shareData: o.shareData,
      onData: progress.onEvent,
      onStep: o.json ? undefined : (s, i, n) => s.status !== 'skipped' && progress.print(stepLine(s, i, n)),
      // Verified while the copy's snapshot is held, so a live source is compared as the copy read it.
      whileSnapshotHeld: async (applied) => {
        if (o.verify && applied.ok && !o.dryRun)
          verified = await validateProject(spec(), {
            source: globals().source,
            target: globals().target,
            data: true,
          });
      },
    }),
  );
  await progress.settle();
  if (r.interrupted) {
    if (o.json) out.json(r);
    else [...applySummary(r), ...resumeLines(r)].forEach((l) => out.error(l));
    return setCode(INTERRUPTED_EXIT);
  }
  if (o.json) out.json(verified ? { ...r, verify: verified.data } : r);
  else {
    applySummary(r).forEach((l) => out.line(l));
    transferLines(r.storage).forEach((l) => out.line(l));
    if (verified?.data) parityLines(verified.data.tables).forEach((l) => out.line(l));
  }
  if (!r.ok || (verified && !verified.ok)) setCode(1);
}
