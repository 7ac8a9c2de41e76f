import type { PreflightCheck } from '../../execute/online/preflight';

/** The online preflight as text: ready or how many blockers, then one line per check. */
export function preflightLines(checks: PreflightCheck[]): string[] {
  const blockers = checks.filter((c) => !c.ok && c.level === 'blocker').length;
  return [
    `online migration preflight: ${blockers === 0 ? 'ready' : `${blockers} blocker(s)`}`,
    ...checks.map(
      (c) =>
        `  ${c.ok ? 'ok  ' : c.level === 'blocker' ? 'FAIL' : 'warn'} ${c.what}${c.fix ? `\n       fix: ${c.fix}` : ''}`,
    ),
  ];
}
