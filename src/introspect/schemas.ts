import type { SchemaInfo } from './snapshot';
import { sortByKeys, type CatalogScope } from './catalog';
import type { Db } from '../db';

export interface SchemaFilter {
  includeSchemas?: string[] | null;
  excludeSchemas?: string[];
}

/** Schemas owned by Postgres itself, by Supabase or by this engine: never the application's. */
export const PLATFORM_SCHEMAS: readonly string[] = [
  'pg_catalog',
  'information_schema',
  'auth',
  'storage',
  'realtime',
  'extensions',
  'graphql',
  'graphql_public',
  'vault',
  'pgsodium',
  'pgsodium_masks',
  'supabase_functions',
  'supabase_migrations',
  'supamigrate',
  'net',
  'cron',
  '_realtime',
  'pgbouncer',
  'pgtle',
  '_analytics',
];

function isPlatformSchema(name: string): boolean {
  return PLATFORM_SCHEMAS.includes(name) || name.startsWith('pg_toast') || name.startsWith('pg_temp');
}

/** Decides whether a schema is introspected; pure, so the default set is testable without a database. */
export function schemaSelected(name: string, filter: SchemaFilter = {}): boolean {
  if (filter.excludeSchemas?.includes(name)) return false;
  if (filter.includeSchemas) return filter.includeSchemas.includes(name);
  return !isPlatformSchema(name);
}

interface SchemaRow {
  oid: string;
  name: string;
  owner: string;
  comment: string | null;
}

export interface SelectedSchemas {
  schemas: SchemaInfo[];
  scope: CatalogScope;
}

export async function readSchemas(db: Db, filter: SchemaFilter = {}): Promise<SelectedSchemas> {
  const { rows } = await db.query<SchemaRow>(`
    select n.oid::text as oid, n.nspname::text as name, pg_catalog.pg_get_userbyid(n.nspowner)::text as owner,
      pg_catalog.obj_description(n.oid, 'pg_namespace') as comment
    from pg_catalog.pg_namespace n
    order by n.nspname collate "C"`);
  const chosen = rows.filter((r) => schemaSelected(r.name, filter));
  const schemas = sortByKeys(chosen, (r) => [r.name]).map((r) => ({
    name: r.name,
    owner: r.owner,
    comment: r.comment,
  }));
  return { schemas, scope: { db, schemaOids: `{${chosen.map((r) => r.oid).join(',')}}` } };
}

/** Names of the schemas introspect would read with this filter, sorted (one catalog query). */
export async function selectedSchemaNames(db: Db, filter: SchemaFilter = {}): Promise<string[]> {
  return (await readSchemas(db, filter)).schemas.map((s) => s.name);
}
