import { redactUrl, type Db } from '../db';
import { ExecutionError, UserError } from '../errors';
import { AUTH_REQUIREMENTS } from './auth';
import { OWNER_REQUIREMENTS } from './owner';
import { DEFAULT_PRIVILEGES, PLATFORM_REQUIREMENTS } from './platform';
import type { Requirement } from './requirement';
import { ROLE_REQUIREMENTS } from './roles';
import { STORAGE_REQUIREMENTS } from './storage';
import { STORAGE_OWNER_REQUIREMENTS } from './storage-owner';

export { SUPABASE_MANAGED_SCHEMAS, isSupabaseManagedSchema } from './managed-schemas';
export { API_ROLES } from './roles';
export type { Requirement } from './requirement';

/** Names of the requirements, in creation order: what this run created and what was already there. */
export interface BootstrapResult {
  created: string[];
  present: string[];
}

export interface SupabaseShape {
  ok: boolean;
  /** Sorted names of the missing requirements. */
  missing: string[];
}

/** Everything a Supabase-shaped target has, in an order where each item's dependencies come first. */
export const BOOTSTRAP_REQUIREMENTS: readonly Requirement[] = Object.freeze([
  ...ROLE_REQUIREMENTS,
  ...PLATFORM_REQUIREMENTS,
  ...AUTH_REQUIREMENTS,
  ...STORAGE_REQUIREMENTS,
  ...STORAGE_OWNER_REQUIREMENTS,
  ...OWNER_REQUIREMENTS,
  DEFAULT_PRIVILEGES,
]);

// What apply needs before it can run a plan; grants are left out because a real project may
// have tuned them and still be a perfectly good target.
const SHAPE_NAMES = new Set([
  'role anon',
  'role authenticated',
  'role service_role',
  'role service_role bypassrls',
  'role authenticator',
  'schema extensions',
  'function auth.uid()',
  'function auth.jwt()',
  'table storage.buckets',
  'table storage.objects',
  'publication supabase_realtime',
]);
const SHAPE_REQUIREMENTS = BOOTSTRAP_REQUIREMENTS.filter((r) => SHAPE_NAMES.has(r.name));

// Serialises bootstraps of the same database (advisory locks are per database); roles, being
// cluster-wide, are instead guarded by their DO blocks.
const BOOTSTRAP_LOCK = 'select pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext($1))';

async function presence(db: Db, requirements: readonly Requirement[]): Promise<boolean[]> {
  const columns = requirements.map((r, i) => `(${r.check}) as c${i}`).join(', ');
  const { rows } = await db.query<Record<string, boolean>>(`select ${columns}`);
  return requirements.map((_, i) => rows[0][`c${i}`] === true);
}

/**
 * Makes any Postgres look like a Supabase project: API roles, extensions schema, auth and
 * storage schemas with their tables and helpers, the realtime publication and the CLI's
 * migration history. Only what is missing is created, all in one transaction, so a second run
 * creates nothing.
 */
export async function bootstrap(db: Db): Promise<BootstrapResult> {
  try {
    return await db.transaction(async (tx) => {
      await tx.query(BOOTSTRAP_LOCK, ['supamigrate bootstrap']);
      const present = await presence(tx, BOOTSTRAP_REQUIREMENTS);
      const missing = BOOTSTRAP_REQUIREMENTS.filter((_, i) => !present[i]);
      if (missing.length > 0) await tx.exec(missing.map((r) => r.create).join('\n'));
      return {
        created: missing.map((r) => r.name),
        present: BOOTSTRAP_REQUIREMENTS.filter((_, i) => present[i]).map((r) => r.name),
      };
    });
  } catch (err) {
    throw new ExecutionError(`bootstrap failed: ${(err as Error).message}`, err);
  }
}

/** Tells apply whether a target can take a plan; the missing names say what bootstrap would add. */
export async function isSupabaseShaped(db: Db): Promise<SupabaseShape> {
  const present = await presence(db, SHAPE_REQUIREMENTS);
  const missing = SHAPE_REQUIREMENTS.filter((_, i) => !present[i])
    .map((r) => r.name)
    .sort();
  return { ok: missing.length === 0, missing };
}

/** Refuses a target that is not Supabase-shaped, naming what is missing and how to add it. */
export async function assertSupabaseShaped(db: Db, targetUrl: string): Promise<void> {
  const shape = await isSupabaseShaped(db);
  if (shape.ok) return;
  throw new UserError(
    `target ${redactUrl(targetUrl)} is not a Supabase database: missing ${shape.missing.join(', ')}`,
    `point --target at a Supabase project, or run \`supamigrate bootstrap --target ${redactUrl(targetUrl)}\` to prepare a plain Postgres`,
  );
}
