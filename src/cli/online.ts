import { onlinePreflightProject, releaseOnlineSource, syncStatusProject } from '../commands/online-plan';
import { preflightLines } from './render/preflight';
import type { Spec } from '../spec/types';
import type { Output } from '../render/output';

/** `analyze --online`: the preflight, printed before the analysis. */
export async function onlinePreflightLines(
  spec: Spec,
  urls: { source?: string; target?: string },
  json: boolean,
  out: Output,
) {
  const checks = await onlinePreflightProject(spec, urls);
  if (json) out.json({ onlinePreflight: checks });
  else preflightLines(checks).forEach((l) => out.line(l));
}

export async function syncStatusLines(
  spec: Spec,
  urls: { source?: string; target?: string },
  json: boolean,
  out: Output,
  setCode: (c: number) => void,
) {
  const s = await syncStatusProject(spec, { ...urls, maxRetainedBytes: spec.online.maxRetainedWalBytes });
  // A warning is the exit code's business in both forms: a script reading --json needs it as well.
  if (s && s.warnings.length > 0) setCode(1);
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
}

export async function releaseOnlineLines(spec: Spec, urls: { source?: string; target?: string }, out: Output) {
  const slot = await releaseOnlineSource(spec, urls);
  if (slot) out.line(`dropped the replication slot and the publication ${slot} on the source`);
}
