import type { Output } from '../render/output';

/** Exit code of a run stopped by SIGINT or SIGTERM, as shells report 128 + SIGINT. */
export const INTERRUPTED_EXIT = 130;

/**
 * While `run` works, the first SIGINT or SIGTERM asks it to stop after the step in flight; a
 * second one exits at once (the server rolls back the transaction that was open).
 */
export async function withInterrupt<T>(out: Output, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      out.error(
        `${name} again: stopping now; the step in flight is rolled back by the server. Run \`supamigrate apply\` to resume.`,
      );
      process.exit(INTERRUPTED_EXIT);
    }
    controller.abort();
    out.error(`${name}: finishing the step in flight, then stopping (send it again to stop at once)`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await run(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** What a person reads after an interrupted apply: where it stopped and how to go on. */
export function resumeLines(r: { executed: number; steps: { status: string }[] }): string[] {
  const left = r.steps.filter((s) => s.status === 'not-run').length;
  return [
    `interrupted: ${r.executed} step(s) applied and checkpointed, ${left} not run; the target is consistent`,
    'resume with `supamigrate apply` (it continues after the last checkpoint), ' +
      'or undo with `supamigrate rollback --all`',
  ];
}
