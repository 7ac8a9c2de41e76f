import type { SpecProblem } from '../yaml/problem';
import { parseSize, SIZE } from './size';

export type WriteStopMethod = 'read-only' | 'revoke' | 'already-stopped';

/** `online:`: how an online migration's cutover stops writes, and when a slot of ours retains too much WAL. */
export interface OnlineSpec {
  /** The cutover's write stop (`cutover --write-stop` overrides it). */
  writeStop: WriteStopMethod;
  /** The application role `revoke` takes write privileges from (`cutover --app-role` overrides it). */
  appRole: string | null;
  /** How long open sessions on the source may take to end at the write stop. */
  sessionWaitSeconds: number;
  /** `status --sync` warns (exit 1) when our slot retains more WAL on the source than this. */
  maxRetainedWalBytes: number;
}

/** The validated `online:` section. */
export interface RawOnline {
  write_stop?: WriteStopMethod;
  app_role?: string;
  session_wait_seconds?: number;
  /** A string after validation: YAML numbers are coerced (bytes). */
  max_retained_wal?: string;
}

export const DEFAULT_MAX_RETAINED_WAL = '1GB';

export function toOnlineSpec(raw: RawOnline | undefined): OnlineSpec {
  const r = raw ?? {};
  return {
    writeStop: r.write_stop ?? 'read-only',
    appRole: r.app_role ?? null,
    sessionWaitSeconds: r.session_wait_seconds ?? 10,
    maxRetainedWalBytes: parseSize(r.max_retained_wal ?? DEFAULT_MAX_RETAINED_WAL),
  };
}

/** `write_stop: revoke` takes the writes of one role, so the spec has to name it; a limit of 0 would always warn. */
export function onlineProblems(raw: Record<string, unknown>): SpecProblem[] {
  const problems: SpecProblem[] = [];
  if (raw.write_stop === 'revoke' && typeof raw.app_role !== 'string')
    problems.push({
      path: ['online', 'write_stop'],
      message: 'revoke needs the application role whose write privileges cutover takes away',
      fix: 'add online.app_role: <role> (the role the application connects as), or choose read-only',
    });
  const limit = raw.max_retained_wal;
  if (typeof limit === 'string' && SIZE.test(limit) && parseSize(limit) === 0)
    problems.push({
      path: ['online', 'max_retained_wal'],
      message: 'a limit of 0 would warn about every slot',
      fix: 'write the WAL a slot may retain before status --sync warns, such as 1GB',
    });
  return problems;
}
