import type { Command } from 'commander';
import type { CutoverResult } from '../commands/cutover';
import type { Spec } from '../spec/types';
import type { Output } from '../render/output';

interface OnlineContext {
  out: Output;
  spec: () => Spec;
  globals: () => { source?: string; target?: string };
  setCode: (code: number) => void;
}

/** The online migration's commands: `sync` and `cutover` (after `apply --online`). */
export function addOnlineCommands(program: Command, c: OnlineContext): void {
  program
    .command('sync')
    .description(
      "replay the source's changes since the online copy onto the target (logical replication through the engine)",
    )
    .option('--until-lag <seconds>', 'stop once the target is less than this many seconds behind')
    .option('--json', 'machine-readable output')
    .action(async (o: { untilLag?: string; json?: boolean }) => {
      const { syncProject } = await import('../commands/sync');
      const { withInterrupt } = await import('./interrupt');
      const until = o.untilLag === undefined ? undefined : Number(o.untilLag);
      const r = await withInterrupt(c.out, (signal) =>
        syncProject(c.spec(), {
          ...c.globals(),
          untilLagSeconds: until,
          signal,
          onSample: o.json
            ? undefined
            : (s) => c.out.line(`lag ${s.seconds.toFixed(2)} s, ${s.bytes} bytes behind; at ${s.position}`),
        }),
      );
      if (o.json) c.out.json(r);
      else
        c.out.line(
          `synced: ${r.counts.transactions} transactions, ${r.counts.rows} row changes applied; lag ${r.last.seconds.toFixed(2)} s`,
        );
    });

  program
    .command('cutover')
    .description('stop writes on the source, replay to a fence, set sequences, compare checksums, drop the slot')
    .option('--write-stop <method>', 'read-only | revoke | already-stopped', 'read-only')
    .option('--app-role <role>', 'the application role whose write privileges `revoke` takes away')
    .option('--session-wait <seconds>', 'how long open source sessions may take to end', '10')
    .option('--json', 'machine-readable output')
    .action(async (o: { writeStop: string; appRole?: string; sessionWait: string; json?: boolean }) => {
      const { cutoverProject } = await import('../commands/cutover');
      const { parseWriteStop } = await import('../execute/online/write-stop');
      const { parityLines } = await import('./render');
      const r = await cutoverProject(c.spec(), {
        ...c.globals(),
        writeStop: parseWriteStop(o.writeStop, o.appRole),
        sessionWaitSeconds: Number(o.sessionWait),
        onPhase: o.json ? undefined : (p) => c.out.line(`cutover: ${p}`),
      });
      if (o.json) c.out.json(r);
      else cutoverLines(r, parityLines).forEach((l) => c.out.line(l));
      if (!r.ok) c.setCode(1);
    });
}

function cutoverLines(r: CutoverResult, parityLines: (p: CutoverResult['parity']) => string[]): string[] {
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

/** `analyze --online`: the preflight, printed before the analysis. */
export async function onlinePreflightLines(
  spec: Spec,
  urls: { source?: string; target?: string },
  json: boolean,
  out: Output,
) {
  const { onlinePreflightProject } = await import('../commands/online-plan');
  const { preflightLines } = await import('../execute/online/preflight');
  const checks = await onlinePreflightProject(spec, urls);
  if (json) out.json({ onlinePreflight: checks });
  else preflightLines(checks).forEach((l) => out.line(l));
}

/** A slot retaining more WAL than this is worth a warning (the spec does not set a limit yet). */
const MAX_RETAINED_BYTES = 1024 ** 3;

export async function syncStatusLines(
  spec: Spec,
  urls: { source?: string; target?: string },
  json: boolean,
  out: Output,
  setCode: (c: number) => void,
) {
  const { syncStatusProject } = await import('../commands/online-plan');
  const s = await syncStatusProject(spec, { ...urls, maxRetainedBytes: MAX_RETAINED_BYTES });
  if (json) return out.json(s);
  if (!s) return out.line('no online migration on this target (apply --online starts one)');
  const lag = `lag ${s.lagBytes ?? '-'} bytes, ${s.lagSeconds === null ? '-' : s.lagSeconds.toFixed(1)} s`;
  out.line(
    `online: ${s.phase}; slot ${s.slot} ${s.streaming ? 'streaming' : 'idle'}; ${lag}; WAL retained on the source ${s.retainedBytes ?? '-'} bytes`,
  );
  s.tables.forEach((t) =>
    out.line(`  ${t.table}: ${t.copiedAt ? `copied as of ${t.copiedAt}, then replayed` : 'not copied yet'}`),
  );
  s.warnings.forEach((w) => out.error(`warning: ${w}`));
  if (s.warnings.length > 0) setCode(1);
}

export async function releaseOnlineLines(spec: Spec, urls: { source?: string; target?: string }, out: Output) {
  const { releaseOnlineSource } = await import('../commands/online-plan');
  const slot = await releaseOnlineSource(spec, urls);
  if (slot) out.line(`dropped the replication slot and the publication ${slot} on the source`);
}
