import type { CliContext } from '../context';

interface ApplyFlags {
  dryRun?: boolean;
  verify?: boolean;
  json?: boolean;
  allowDrift?: boolean;
  online?: boolean;
  shareData?: boolean;
  dataWorker?: boolean;
  wait: string;
}

/** `supamigrate apply`. */
export function addApplyCommand({ program, out, globals, spec, setCode }: CliContext): void {
  program
    .command('apply')
    .description('apply the committed plan to the target, step by step with checkpoints')
    .option('--dry-run', 'run every step in one transaction and roll it back')
    .option('--verify', 'after applying, compare row counts and checksums of every table with the source')
    .option('--json', 'machine-readable output')
    .option('--allow-drift', 'apply even when objects the plan owns were changed outside supamigrate')
    .option('--online', "copy from a replication slot's snapshot, then `sync` and `cutover` (the source keeps running)")
    .option('--share-data', 'offer the data phase to `apply --data-worker` processes on other machines')
    .option('--data-worker', 'load chunks offered by an `apply --share-data` leader on the same target, then exit')
    .option('--wait <seconds>', '--data-worker: how long to wait for a leader to offer chunks', '60')
    .action(async (o: ApplyFlags) => {
      const { runDataWorkerCli } = await import('../data-worker');
      if (o.dataWorker) return runDataWorkerCli({ out, globals, spec, setCode }, o);
      const { applyProject } = await import('../../commands/target');
      const { validateProject } = await import('../../commands/validate');
      const { transferLines } = await import('../../execute/storage/report');
      const { DataProgress, progressMode } = await import('../progress');
      const { INTERRUPTED_EXIT, resumeLines, withInterrupt } = await import('../interrupt');
      const { applySummary, parityLines, stepLine } = await import('../render');
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
    });
}
