import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What the real-schema round trips (server and PGlite) allow to differ between the source's dump
 * and the target's, beyond what normaliseDump (schema-dump.ts) already leaves out: objects the
 * migration adds or leaves out on purpose, read from the project the round trip planned.
 */

function securityMigration(dir: string): string {
  const folder = join(dir, 'supabase/migrations');
  const file = readdirSync(folder).find((f) => f.endsWith('_security.sql'));
  return file ? readFileSync(join(folder, file), 'utf8') : '';
}

/** Index names the security plan adds to support policies: the target holds them on purpose. */
export function policyIndexes(dir: string): string[] {
  return [...securityMigration(dir).matchAll(/create index "?([^"\s]+)"? on /gi)].map((m) => m[1]);
}

/**
 * Foreign keys to auth.users the security plan adds on purpose (init's `users_table` proposal:
 * the source's users become Supabase Auth users and their table references them).
 */
export function authUsersKeys(dir: string): string[] {
  const sql = securityMigration(dir);
  return [...sql.matchAll(/add constraint "?([^"\s]+)"? foreign key \([^)]*\) references auth\.users /gi)].map((m) => m[1]);
}

/** Dump blocks that name an object the spec skips on purpose (`schema.skip_objects`). */
export function skippedBlock(object: string): RegExp {
  const name = object.replace(/\(.*\)$/, '').replace(/ using \S+$/, '').split(' ').pop() ?? object;
  return new RegExp(`(^|[\\s."(])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`);
}

/**
 * `public` is Supabase's schema on the target (the plan never creates it) and carries Supabase's
 * comment. When the source's `public` has no comment at all (postgrest drops and re-creates it),
 * that comment is Supabase's, not a difference the migration made.
 */
const SUPABASE_PUBLIC_COMMENT = "COMMENT ON SCHEMA public IS 'standard public schema';";
export function withoutSupabasePublicComment(source: string[], target: string[]): string[] {
  if (source.some((b) => b.startsWith('COMMENT ON SCHEMA public IS '))) return target;
  return target.filter((b) => b !== SUPABASE_PUBLIC_COMMENT);
}
