import type { Db } from '../db';
import { PLATFORM_SCHEMAS } from './schemas';
import type { SupabaseTable, Trigger } from './snapshot';

/** Supabase's tables whose rows belong to the application: its users, their identities, its buckets. */
const CARRIED_ROWS = ['auth.users', 'auth.identities', 'storage.buckets'];
/** Supabase's tables an application hangs triggers on (a profile row per new user, an upload hook). */
const TRIGGER_TABLES = ['auth.users', 'storage.objects', 'storage.buckets'];

/**
 * The rows of a Supabase-native source that live in Supabase's own schemas. Read only when the
 * schema is Supabase's (not introspected as the application's, as apflora's own `auth` is).
 */
export async function readSupabaseTables(db: Db, appSchemas: string[]): Promise<SupabaseTable[]> {
  const wanted = CARRIED_ROWS.filter((t) => !appSchemas.includes(t.split('.')[0]));
  const { rows } = await db.query<{
    schema: string;
    name: string;
    columns: { name: string; type: string }[] | string;
    key: string[];
  }>(
    `
    select n.nspname::text as schema, c.relname::text as name,
      (select pg_catalog.json_agg(json_build_object('name', a.attname::text, 'type', pg_catalog.format_type(a.atttypid, a.atttypmod)) order by a.attnum)
         from pg_catalog.pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = '') as columns,
      coalesce((select array_agg(a.attname::text order by k.ord) from pg_catalog.pg_constraint p
         cross join unnest(p.conkey) with ordinality as k(attnum, ord)
         join pg_catalog.pg_attribute a on a.attrelid = p.conrelid and a.attnum = k.attnum
         where p.conrelid = c.oid and p.contype = 'p'), '{}') as key
    from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where c.relkind = 'r' and n.nspname || '.' || c.relname = any($1::text[])
    order by n.nspname collate "C", c.relname collate "C"`,
    [wanted],
  );
  return rows.map((r) => ({
    schema: r.schema,
    name: r.name,
    columns: typeof r.columns === 'string' ? JSON.parse(r.columns) : r.columns,
    key: r.key,
  }));
}

/**
 * The application's triggers on Supabase's tables: those whose function lives outside
 * Supabase's schemas (Supabase's own triggers, such as storage's updated_at, stay behind).
 */
export async function readSupabaseTriggers(db: Db, appSchemas: string[]): Promise<Trigger[]> {
  const tables = TRIGGER_TABLES.filter((t) => !appSchemas.includes(t.split('.')[0]));
  const { rows } = await db.query<{
    schema: string;
    table: string;
    name: string;
    definition: string;
    function: string;
    enabled: string;
    is_constraint: boolean;
  }>(
    `
    select n.nspname::text as schema, c.relname::text as table, t.tgname::text as name,
      pg_catalog.pg_get_triggerdef(t.oid) as definition, fn.nspname || '.' || f.proname as function,
      t.tgenabled::text as enabled, t.tgconstraint <> 0 as is_constraint
    from pg_catalog.pg_trigger t
      join pg_catalog.pg_class c on c.oid = t.tgrelid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      join pg_catalog.pg_proc f on f.oid = t.tgfoid
      join pg_catalog.pg_namespace fn on fn.oid = f.pronamespace
    where n.nspname || '.' || c.relname = any($1::text[]) and not t.tgisinternal and t.tgparentid = 0
      and not (fn.nspname = any($2::text[]))
    order by n.nspname collate "C", c.relname collate "C", t.tgname collate "C"`,
    [tables, PLATFORM_SCHEMAS.filter((s) => !appSchemas.includes(s))],
  );
  return rows.map((r) => ({
    schema: r.schema,
    table: r.table,
    name: r.name,
    definition: r.definition,
    function: r.function,
    enabled: r.enabled,
    isConstraint: r.is_constraint,
  }));
}
