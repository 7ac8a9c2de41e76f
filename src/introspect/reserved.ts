import type { Db } from '../db';

/**
 * Schema names Supabase reserves, each with the table that marks it as Supabase's own. A source
 * schema with such a name that lacks the mark (apflora's own `auth`, say) is the application's:
 * it cannot keep its name on Supabase, so `init` proposes a rename.
 */
const RESERVED: Record<string, string | null> = {
  auth: 'users',
  storage: 'objects',
  realtime: 'messages',
  vault: 'secrets',
  graphql: null,
  graphql_public: null,
  extensions: null,
  pgsodium: 'key',
  pgsodium_masks: null,
  supabase_functions: 'hooks',
  supabase_migrations: 'schema_migrations',
  net: null,
  cron: 'job',
  pgbouncer: null,
  pgtle: null,
  _realtime: null,
  _analytics: null,
};

export interface ForeignReserved {
  schema: string;
  /** The name init proposes on the target. */
  proposed: string;
}

/**
 * Reserved-name schemas of the source that hold the application's own objects. A schema whose
 * mark is unknown counts as the application's when it holds tables, types or functions that no
 * extension owns (an `extensions` schema of extensions only is Supabase's shape).
 */
export async function readForeignReserved(db: Db, taken: string[]): Promise<ForeignReserved[]> {
  const { rows } = await db.query<{ name: string; own: number }>(
    `
    select n.nspname::text as name,
      (select count(*)::int from pg_catalog.pg_class c where c.relnamespace = n.oid and c.relkind in ('r', 'p', 'v', 'm')
         and not exists (select 1 from pg_catalog.pg_depend d where d.objid = c.oid and d.deptype = 'e'))
      + (select count(*)::int from pg_catalog.pg_proc p where p.pronamespace = n.oid
         and not exists (select 1 from pg_catalog.pg_depend d where d.objid = p.oid and d.deptype = 'e'))
      + (select count(*)::int from pg_catalog.pg_type t where t.typnamespace = n.oid and t.typtype in ('c', 'd', 'e') and t.typrelid = 0
         and not exists (select 1 from pg_catalog.pg_depend d where d.objid = t.oid and d.deptype = 'e')) as own
    from pg_catalog.pg_namespace n where n.nspname = any($1::text[])
    order by 1`,
    [Object.keys(RESERVED)],
  );
  const out: ForeignReserved[] = [];
  const used = new Set(taken);
  for (const r of rows) {
    const mark = RESERVED[r.name];
    const marked =
      mark !== null &&
      (
        await db.query<{ ok: boolean }>(`select pg_catalog.to_regclass($1) is not null as ok`, [
          `"${r.name}"."${mark}"`,
        ])
      ).rows[0].ok;
    if (marked || r.own === 0) continue;
    let proposed = `app_${r.name.replace(/^_+/, '')}`;
    for (let n = 2; used.has(proposed) && n < 100; n++) proposed = `app_${r.name.replace(/^_+/, '')}_${n}`;
    used.add(proposed);
    out.push({ schema: r.name, proposed });
  }
  return out;
}
