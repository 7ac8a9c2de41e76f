import type { Db } from '../db';
import { ADVISOR_SENSITIVE_WORDS } from '../analyze/sensitive';
import { literal } from '../sql';

/**
 * Security and performance checks over the target catalog, after Supabase's database advisor
 * (supabase/splinter): same names and levels, written here from their descriptions. Each check
 * is one ordered query returning the offending objects.
 */
export type LintLevel = 'ERROR' | 'WARN' | 'INFO';

export interface LintFinding {
  name: string;
  level: LintLevel;
  /** The object at fault, e.g. `public.users` or `public.f(integer)`. */
  object: string;
  detail: string;
}

interface LintCheck {
  name: string;
  level: LintLevel;
  /** Returns rows of (object, detail); `$exposed` stands for the exposed schemas as a text[]. */
  sql: string;
}

const USER_SCHEMA = `n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast', 'auth', 'storage', 'realtime', 'extensions', 'graphql', 'graphql_public', 'pgsodium', 'vault', 'supabase_functions', 'supabase_migrations', 'net', 'cron', 'pgbouncer') and n.nspname not like 'pg\\_temp%' and n.nspname not like 'pg\\_toast%'`;
const NOT_EXTENSION = (oid: string, catalog: string) =>
  `not exists (select 1 from pg_depend d where d.objid = ${oid} and d.classid = '${catalog}'::regclass and d.deptype = 'e')`;
const API_CAN_SELECT = `(has_table_privilege('anon', c.oid, 'select') or has_table_privilege('authenticated', c.oid, 'select'))`;
const SENSITIVE_NAME = `'(^|_)(${ADVISOR_SENSITIVE_WORDS.join('|')})(_|$)'`;
const API_ROLES_EXIST = `(select count(*) from pg_roles where rolname in ('anon', 'authenticated')) = 2`;
// Postgres prints a wrapped call as `( SELECT auth.uid() AS uid)`; a bare call has no SELECT before it.
const BARE_AUTH_CALL = `~* '(?<!select )(auth\\.(uid|jwt|role|email)\\(\\)|current_setting\\()'`;

const CHECKS: LintCheck[] = [
  {
    name: 'auth_users_exposed',
    level: 'ERROR',
    sql: `select distinct n.nspname || '.' || c.relname as object, 'reads auth.users and the API roles may select it' as detail
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      join pg_rewrite r on r.ev_class = c.oid join pg_depend d on d.objid = r.oid and d.refobjid = 'auth.users'::regclass
      where c.relkind in ('v', 'm') and n.nspname = any($exposed) and ${API_CAN_SELECT}
        and not coalesce(c.reloptions @> array['security_invoker=true'], false)
      order by 1`,
  },
  {
    name: 'policy_exists_rls_disabled',
    level: 'ERROR',
    sql: `select distinct n.nspname || '.' || c.relname, 'has policies but row level security is off'
      from pg_policy p join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace
      where not c.relrowsecurity and n.nspname = any($exposed) order by 1`,
  },
  {
    name: 'security_definer_view',
    level: 'ERROR',
    sql: `select n.nspname || '.' || c.relname, 'runs with its owner''s rights (set security_invoker = true)'
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'v' and n.nspname = any($exposed) and ${NOT_EXTENSION('c.oid', 'pg_class')}
        and not coalesce(c.reloptions && array['security_invoker=true', 'security_invoker=on', 'security_invoker=1'], false)
      order by 1`,
  },
  {
    name: 'rls_disabled_in_public',
    level: 'ERROR',
    sql: `select n.nspname || '.' || c.relname, 'is in an exposed schema without row level security'
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and not c.relrowsecurity and n.nspname = any($exposed) and ${NOT_EXTENSION('c.oid', 'pg_class')}
      order by 1`,
  },
  {
    name: 'rls_references_user_metadata',
    level: 'ERROR',
    sql: `select schemaname || '.' || tablename || ' ' || policyname, 'authorises on user_metadata, which users can edit'
      from pg_policies where coalesce(qual, '') || coalesce(with_check, '') ~* 'user_metadata' order by 1`,
  },
  {
    name: 'fkey_to_auth_unique',
    level: 'ERROR',
    sql: `select n.nspname || '.' || c.relname || ' ' || con.conname, 'references a unique constraint of an auth table instead of its primary key'
      from pg_constraint con join pg_class c on c.oid = con.conrelid join pg_namespace n on n.oid = c.relnamespace
      join pg_class rc on rc.oid = con.confrelid join pg_namespace rn on rn.oid = rc.relnamespace
      join pg_index i on i.indexrelid = con.conindid
      where con.contype = 'f' and rn.nspname = 'auth' and not i.indisprimary and ${USER_SCHEMA} order by 1`,
  },
  {
    name: 'sensitive_columns_exposed',
    level: 'ERROR',
    sql: `select n.nspname || '.' || c.relname || '.' || a.attname, 'looks sensitive and the table has no row level security'
      from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      where a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p') and not c.relrowsecurity and n.nspname = any($exposed)
        and a.attname ~* ${SENSITIVE_NAME} and ${API_ROLES_EXIST} and ${API_CAN_SELECT} order by 1`,
  },
  {
    name: 'auth_rls_initplan',
    level: 'WARN',
    sql: `select schemaname || '.' || tablename || ' ' || policyname, 'calls auth.<function>() or current_setting() per row; wrap it as (select ...)'
      from pg_policies where schemaname = any($exposed) and (coalesce(qual, '') ${BARE_AUTH_CALL} or coalesce(with_check, '') ${BARE_AUTH_CALL}) order by 1`,
  },
  {
    name: 'multiple_permissive_policies',
    level: 'WARN',
    sql: `select x.tbl || ' ' || x.role || ' ' || x.action, 'has ' || count(*) || ' permissive policies: ' || string_agg(x.polname, ', ' order by x.polname)
      from (select n.nspname || '.' || c.relname as tbl, r.role, a.action, p.polname
        from pg_policy p join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace
        cross join (values ('anon'), ('authenticated')) r(role)
        cross join (values ('r'), ('a'), ('w'), ('d')) a(action)
        where p.polpermissive and n.nspname = any($exposed) and (p.polcmd = a.action or p.polcmd = '*')
          and (p.polroles = '{0}' or (select oid from pg_roles where rolname = r.role) = any(p.polroles))) x
      group by x.tbl, x.role, x.action having count(*) > 1 order by 1`,
  },
  {
    name: 'duplicate_index',
    level: 'WARN',
    sql: `select n.nspname || '.' || c.relname, 'identical indexes: ' || string_agg(ic.relname, ', ' order by ic.relname)
      from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace join pg_class ic on ic.oid = i.indexrelid
      where ${USER_SCHEMA}
      group by n.nspname, c.relname, i.indkey::text, i.indclass::text, i.indcollation::text, coalesce(pg_get_expr(i.indexprs, i.indrelid), ''), coalesce(pg_get_expr(i.indpred, i.indrelid), '')
      having count(*) > 1 order by 1`,
  },
  {
    // A failed CREATE INDEX CONCURRENTLY leaves one behind: maintained on every write, never used.
    name: 'invalid_index',
    level: 'WARN',
    sql: `select n.nspname || '.' || c.relname || ' ' || ic.relname, 'is invalid: the planner ignores it, writes still maintain it; drop and re-create it'
      from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace join pg_class ic on ic.oid = i.indexrelid
      where not i.indisvalid and i.indisready and ${USER_SCHEMA} and ${NOT_EXTENSION('ic.oid', 'pg_class')}
        and not exists (select 1 from pg_stat_progress_create_index p where p.index_relid = ic.oid)
      order by 1`,
  },
  {
    name: 'function_search_path_mutable',
    level: 'WARN',
    sql: `select n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', 'has no fixed search_path'
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where ${USER_SCHEMA} and p.prokind in ('f', 'p') and ${NOT_EXTENSION('p.oid', 'pg_proc')}
        and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) c where c like 'search\\_path=%')
      order by 1`,
  },
  {
    name: 'extension_in_public',
    level: 'WARN',
    sql: `select e.extname, 'is installed in public; install it in extensions'
      from pg_extension e join pg_namespace n on n.oid = e.extnamespace where n.nspname = 'public' order by 1`,
  },
  {
    name: 'materialized_view_in_api',
    level: 'WARN',
    sql: `select n.nspname || '.' || c.relname, 'is a materialized view the API roles may select (it has no row level security)'
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'm' and n.nspname = any($exposed) and ${API_CAN_SELECT} order by 1`,
  },
  {
    name: 'foreign_table_in_api',
    level: 'WARN',
    sql: `select n.nspname || '.' || c.relname, 'is a foreign table the API roles may select (it has no row level security)'
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'f' and n.nspname = any($exposed) and ${API_CAN_SELECT} order by 1`,
  },
  {
    name: 'unsupported_reg_types',
    level: 'WARN',
    sql: `select n.nspname || '.' || c.relname || '.' || a.attname, 'has type ' || format_type(a.atttypid, null) || ', which pg_upgrade cannot carry'
      from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      where a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p', 'm') and ${USER_SCHEMA}
        and a.atttypid in ('regcollation'::regtype, 'regconfig'::regtype, 'regdictionary'::regtype, 'regnamespace'::regtype, 'regoper'::regtype, 'regoperator'::regtype, 'regproc'::regtype, 'regprocedure'::regtype)
      order by 1`,
  },
  {
    name: 'rls_policy_always_true',
    level: 'WARN',
    sql: `select schemaname || '.' || tablename || ' ' || policyname, cmd || ' policy whose USING is true lets every row through'
      from pg_policies where schemaname = any($exposed) and cmd in ('UPDATE', 'DELETE', 'ALL') and trim(qual) = 'true' order by 1`,
  },
  {
    name: 'public_bucket_allows_listing',
    level: 'WARN',
    sql: `select b.id, 'is public and a SELECT policy on storage.objects lets clients list it'
      from storage.buckets b where b.public and exists (select 1 from pg_policies p where p.schemaname = 'storage' and p.tablename = 'objects'
        and p.cmd in ('SELECT', 'ALL') and (p.qual is null or p.qual like '%' || b.id || '%'))
      order by 1`,
  },
  ...(['anon', 'authenticated'] as const).map(
    (role): LintCheck => ({
      name: `${role}_security_definer_function_executable`,
      level: 'WARN',
      sql: `select n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', 'is SECURITY DEFINER and ${role} may call it through the API'
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where p.prosecdef and n.nspname = any($exposed) and has_function_privilege('${role}', p.oid, 'execute') and ${NOT_EXTENSION('p.oid', 'pg_proc')}
      order by 1`,
    }),
  ),
  ...(['anon', 'authenticated'] as const).map(
    (role): LintCheck => ({
      // pg_graphql lists every relation a role can read a column of, RLS or not.
      name: `pg_graphql_${role}_table_exposed`,
      level: 'WARN',
      sql: `select n.nspname || '.' || c.relname, '${role} can read it, so pg_graphql lists it in the GraphQL schema'
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where exists (select 1 from pg_extension where extname = 'pg_graphql') and c.relkind in ('r', 'p', 'v', 'm', 'f')
        and ${USER_SCHEMA} and ${NOT_EXTENSION('c.oid', 'pg_class')} and has_schema_privilege('${role}', n.oid, 'usage')
        and has_any_column_privilege('${role}', c.oid, 'select')
      order by 1`,
    }),
  ),
  {
    name: 'insecure_queue_exposed_in_api',
    level: 'ERROR',
    sql: `select n.nspname || '.' || c.relname, 'is a pgmq queue table in an exposed schema without row level security'
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'pgmq' and 'pgmq' = any($exposed) and c.relkind in ('r', 'p') and c.relname like 'q\\_%'
        and not c.relrowsecurity and ${API_CAN_SELECT}
      order by 1`,
  },
  {
    name: 'extension_versions_outdated',
    level: 'WARN',
    sql: `select e.name::text, 'is at version ' || e.installed_version || ', the default is ' || e.default_version
      from pg_available_extensions e
      where e.installed_version is not null and e.default_version is not null and e.installed_version <> e.default_version
        and exists (select 1 from pg_available_extension_versions v where v.name = e.name and v.installed)
      order by 1`,
  },
  {
    name: 'unindexed_foreign_keys',
    level: 'INFO',
    sql: `select n.nspname || '.' || c.relname || ' ' || con.conname, 'no index leads with the foreign key columns'
      from pg_constraint con join pg_class c on c.oid = con.conrelid join pg_namespace n on n.oid = c.relnamespace
      where con.contype = 'f' and ${USER_SCHEMA}
        and not exists (select 1 from pg_index i where i.indrelid = con.conrelid and (i.indkey::int2[])[0:cardinality(con.conkey) - 1] @> con.conkey and (i.indkey::int2[])[0:cardinality(con.conkey) - 1] <@ con.conkey)
      order by 1`,
  },
  {
    name: 'no_primary_key',
    level: 'INFO',
    sql: `select n.nspname || '.' || c.relname, 'has no primary key'
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and n.nspname = any($exposed) and not exists (select 1 from pg_index i where i.indrelid = c.oid and i.indisprimary)
      order by 1`,
  },
  {
    name: 'rls_enabled_no_policy',
    level: 'INFO',
    sql: `select n.nspname || '.' || c.relname, 'row level security is on and no policy opens it: only service_role reaches it'
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and c.relrowsecurity and n.nspname = any($exposed) and not exists (select 1 from pg_policy p where p.polrelid = c.oid)
      order by 1`,
  },
];

const needsStorage = (c: LintCheck) => c.sql.includes('storage.buckets');

/** Runs every check; a check whose catalog objects are missing (no storage schema) is left out. */
export async function lintDatabase(
  db: Db,
  exposedSchemas: string[] = ['public'],
  opts: { tolerant?: boolean } = {},
): Promise<LintFinding[]> {
  const exposed = `array[${exposedSchemas.map(literal).join(', ')}]::name[]`;
  const hasAuthUsers = (await db.query<{ ok: boolean }>(`select to_regclass('auth.users') is not null as ok`)).rows[0]
    .ok;
  const hasStorage = (await db.query<{ ok: boolean }>(`select to_regclass('storage.buckets') is not null as ok`))
    .rows[0].ok;
  const findings: LintFinding[] = [];
  for (const check of CHECKS) {
    if (needsStorage(check) && !truthy(hasStorage)) continue;
    if (check.name === 'auth_users_exposed' && !truthy(hasAuthUsers)) continue;
    const query = `select q.* from (${check.sql.replace(/\$exposed/g, exposed)}) q(object, detail)`;
    // On a plain Postgres source the API roles do not exist: checks that name them cannot run there.
    const rows = opts.tolerant
      ? await db.query<{ object: string; detail: string }>(query).then(
          (r) => r.rows,
          () => [],
        )
      : (await db.query<{ object: string; detail: string }>(query)).rows;
    for (const r of rows) findings.push({ name: check.name, level: check.level, object: r.object, detail: r.detail });
  }
  return findings;
}

const truthy = (v: unknown): boolean => v === true || v === 't' || v === 'true';

/** One line per finding, most severe first. */
export function lintLines(findings: LintFinding[]): string[] {
  const rank: Record<LintLevel, number> = { ERROR: 0, WARN: 1, INFO: 2 };
  return [...findings]
    .sort(
      (a, b) =>
        rank[a.level] - rank[b.level] || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.object < b.object ? -1 : 1),
    )
    .map((f) => `${f.level.padEnd(5)} ${f.name}: ${f.object} ${f.detail}`);
}
