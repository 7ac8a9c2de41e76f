import { UserError } from '../../errors';
import type { ManifestStep } from '../../render';
import type { ExecutableStep } from './types';

/** The payload types of data steps, by the plan's step kind; every other kind is SQL. */
const PAYLOAD_KINDS: Record<string, 'table-copy' | 'sequence-reset' | 'storage-transfer'> = {
  data: 'table-copy',
  sequences: 'sequence-reset',
  storage: 'storage-transfer',
};

/** Turns a manifest entry and its text (from the file, or the manifest's body) into a typed step. */
export function decodeStep(m: ManifestStep, text: string, line: number, where: string): ExecutableStep {
  const base = {
    id: m.id,
    phase: m.phase,
    kind: m.kind,
    body: text,
    down: m.down,
    checksum: m.checksum,
    file: m.file,
    line,
    ...(m.state ? { state: m.state } : {}),
  };
  const type = m.file === null ? PAYLOAD_KINDS[m.kind] : undefined;
  if (!type) return { ...base, type: 'sql', sql: text };
  const payload = parsePayload(text, m.id, where);
  if (type === 'table-copy')
    return { ...base, type, copy: payload as Extract<ExecutableStep, { type: typeof type }>['copy'] };
  if (type === 'sequence-reset')
    return { ...base, type, resets: payload as Extract<ExecutableStep, { type: typeof type }>['resets'] };
  return { ...base, type, transfer: payload as Extract<ExecutableStep, { type: typeof type }>['transfer'] };
}

function parsePayload(text: string, id: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UserError(
      `${where}: step ${id} holds no valid JSON (${(err as Error).message})`,
      'run `supamigrate plan` again',
    );
  }
}
