import { join } from 'node:path';
import { isSensitiveColumn } from '../../src/analyze/sensitive';
import { loadSpec } from '../../src/spec';
import { exposedSchemas } from '../../src/spec/exposed';
import type { Spec } from '../../src/spec/types';
import type { AccessMatrix } from './access-matrix';
import { withDb } from './databases';

/** Schemas Postgres and Supabase own; everything else on a database is the application's. */
export const PLATFORM_SCHEMAS = [
  'pg_catalog', 'information_schema', 'pg_toast', 'auth', 'storage', 'extensions', 'supabase_migrations',
  'realtime', 'graphql', 'graphql_public', 'vault', 'pgsodium', 'pgsodium_masks', 'net', 'supabase_functions', 'cron',
];

/** The application's schemas on a database (the seed generator's and the matrix's scope). */
export async function appSchemas(url: string): Promise<string[]> {
  const sql = `select nspname as n from pg_namespace where nspname <> all($1::name[]) and nspname not like 'pg\\_%' order by 1`;
  return withDb(url, async (db) => (await db.query<{ n: string }>(sql, [PLATFORM_SCHEMAS])).rows.map((r) => r.n));
}

/** The spec in a project folder, loaded as the CLI loads it. */
export function projectSpec(dir: string, env: NodeJS.ProcessEnv): Spec {
  return loadSpec(join(dir, 'migration.yaml'), env);
}

/**
 * The tables the access matrix covers on the target: every table of every schema the Data API
 * serves there (the spec's exposed schemas, as the plan decides them), and those of the
 * application's other schemas too, which a team may expose later from the dashboard.
 */
export async function matrixTables(targetUrl: string, spec: Spec): Promise<{ tables: string[]; exposed: string[] }> {
  const exposed = exposedSchemas(spec);
  const schemas = [...new Set([...exposed, ...(await appSchemas(targetUrl))])];
  const sql = `select schemaname || '.' || tablename as t from pg_tables where schemaname = any($1::name[]) order by 1`;
  const tables = await withDb(targetUrl, async (db) => (await db.query<{ t: string }>(sql, [schemas])).rows.map((r) => r.t));
  return { tables, exposed };
}

/** How many matrix tables are in an exposed schema: the check is empty when there are none. */
export function inExposed(tables: string[], exposed: string[]): number {
  return tables.filter((t) => exposed.includes(t.slice(0, t.indexOf('.')))).length;
}

/**
 * The cells the spec asks to open: `table role operation` for every pattern's roles and
 * operations (a public_read's rows are counted separately). Every other cell must stay closed.
 */
export function specOpenedCells(spec: Spec): Set<string> {
  const out = new Set<string>();
  for (const [table, patterns] of Object.entries(spec.security.tables ?? {}))
    for (const p of patterns) for (const role of p.roles) for (const op of p.operations) out.add(`${table} ${role} ${op}`);
  for (const [view, access] of Object.entries(spec.security.views ?? {})) for (const role of access.open) out.add(`${view} ${role} select`);
  return out;
}

/** The matrix without the cells the spec opened, for actors of the given roles. */
export function withoutOpened(matrix: AccessMatrix, opened: Set<string>, roleOf: (actor: string) => string): AccessMatrix {
  return Object.fromEntries(Object.entries(matrix).filter(([key]) => {
    // Split from the right: a table or view name may hold a space (`public.My View`), an actor never.
    const words = key.split(' ');
    const [actor, op] = words.slice(-2);
    return !opened.has(`${words.slice(0, -2).join(' ')} ${roleOf(actor)} ${op}`);
  }));
}

/** Those of the tables that exist on a database (the target also holds the engine's own state tables). */
export async function existingOn(url: string, tables: string[]): Promise<string[]> {
  const sql = `select t from unnest($1::text[]) t where to_regclass(format('%I.%I', split_part(t, '.', 1), substr(t, strpos(t, '.') + 1))) is not null`;
  return withDb(url, async (db) => (await db.query<{ t: string }>(sql, [tables])).rows.map((r) => r.t));
}

/** `table.column anon|authenticated` for every column that looks like a secret and that an API role may read. */
export async function readableSecrets(url: string, tables: string[]): Promise<string[]> {
  const sql = `select t || '.' || a.attname || ' ' || r as cell
    from unnest($1::text[]) t, pg_attribute a, unnest(array['anon', 'authenticated']) r
    where a.attrelid = format('%I.%I', split_part(t, '.', 1), substr(t, strpos(t, '.') + 1))::regclass
      and a.attnum > 0 and not a.attisdropped and has_column_privilege(r, a.attrelid, a.attnum, 'select')`;
  const cells = await withDb(url, async (db) => (await db.query<{ cell: string }>(sql, [tables])).rows.map((x) => x.cell));
  return cells.filter((cell) => isSensitiveColumn({ name: cell.slice(0, cell.lastIndexOf(' ')).split('.').slice(2).join('.') })).sort();
}
