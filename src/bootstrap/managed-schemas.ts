/**
 * Schemas that Supabase (or this engine) owns on a target. Introspection, planning and
 * validation leave them alone: they exist on every project and are not the application's.
 */
export const SUPABASE_MANAGED_SCHEMAS: readonly string[] = Object.freeze([
  '_analytics',
  '_realtime',
  'auth',
  'cron',
  'extensions',
  'graphql',
  'graphql_public',
  'net',
  'pgbouncer',
  'pgsodium',
  'pgsodium_masks',
  'pgtle',
  'realtime',
  'storage',
  'supabase_functions',
  'supabase_migrations',
  'supamigrate',
  'vault',
]);

export function isSupabaseManagedSchema(name: string): boolean {
  return SUPABASE_MANAGED_SCHEMAS.includes(name);
}
