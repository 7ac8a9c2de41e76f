import { UserError } from '../errors';
import { SNAPSHOT_FORMAT, type Snapshot } from './snapshot';

const ARRAY_KEYS: (keyof Snapshot)[] = [
  'schemas',
  'extensions',
  'enums',
  'domains',
  'composites',
  'sequences',
  'tables',
  'views',
  'functions',
  'triggers',
  'policies',
  'roles',
];

/** Byte-stable text: introspection already builds keys in declaration order and sorts every array. */
export function snapshotToJson(s: Snapshot): string {
  return `${JSON.stringify(s, null, 2)}\n`;
}

const FIX = 're-create it with `supamigrate init` (or introspect again) instead of editing it by hand';

export function snapshotFromJson(text: string, source = 'snapshot'): Snapshot {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${source}: not valid JSON (${(err as Error).message})`, FIX);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UserError(`${source}: expected a JSON object`, FIX);
  }
  const record = parsed as Record<string, unknown>;
  if (record.formatVersion !== SNAPSHOT_FORMAT) {
    throw new UserError(
      `${source}: formatVersion is ${JSON.stringify(record.formatVersion)}, this version of supamigrate reads ${SNAPSHOT_FORMAT}`,
      FIX,
    );
  }
  if (typeof record.serverVersion !== 'number') throw new UserError(`${source}: serverVersion must be a number`, FIX);
  const missing = ARRAY_KEYS.filter((k) => !Array.isArray(record[k]));
  if (missing.length > 0) throw new UserError(`${source}: ${missing.join(', ')} must be arrays`, FIX);
  return parsed as Snapshot;
}
