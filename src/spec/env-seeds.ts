import type { KeyPath } from '../yaml/problem';
import { pathKey } from './interpolate';

/** Environment variables that fill spec keys the file leaves out (the values of the project's seed .env). */
export const ENV_SEEDS: ReadonlyArray<{ path: KeyPath; variable: string }> = [
  { path: ['source', 'url'], variable: 'SOURCE_DATABASE_URL' },
  { path: ['target', 'url'], variable: 'SUPABASE_DB_URL' },
  { path: ['target', 'supabase_url'], variable: 'SUPABASE_URL' },
  { path: ['target', 'anon_key'], variable: 'SUPABASE_ANON_KEY' },
  { path: ['target', 'service_role_key'], variable: 'SUPABASE_SERVICE_ROLE_KEY' },
  { path: ['options', 'batch_size'], variable: 'MIGRATION_BATCH_SIZE' },
  { path: ['options', 'timeout'], variable: 'MIGRATION_TIMEOUT' },
];

/**
 * Switches that changed the plan from the environment, so a plan could differ between two
 * machines with the same repository. They are read no more; their keys in the spec remain.
 */
export const RETIRED_SWITCHES: ReadonlyArray<{ variable: string; key: string }> = [
  { variable: 'ENABLE_VECTOR_MIGRATION', key: 'options.enable_vector_migration' },
  { variable: 'ENABLE_REALTIME', key: 'options.enable_realtime' },
];

type Plain = Record<string, unknown>;

function isPlainObject(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Writes seed variables into the raw spec where the file is silent, before validation, so that a
 * badly formatted variable is caught by the same checks as a badly written key. Returns which
 * paths were seeded, by which variable.
 */
export function applyEnvSeeds(raw: unknown, env: NodeJS.ProcessEnv): Map<string, string> {
  const seeded = new Map<string, string>();
  if (!isPlainObject(raw)) return seeded;
  for (const { path, variable } of ENV_SEEDS) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    const [section, key] = path as [string, string];
    if (raw[section] === undefined || raw[section] === null) raw[section] = {};
    const holder = raw[section];
    if (!isPlainObject(holder) || holder[key] !== undefined) continue;
    holder[key] = value.trim();
    seeded.set(pathKey(path), variable);
  }
  return seeded;
}
