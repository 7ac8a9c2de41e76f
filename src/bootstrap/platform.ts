import { publication, requirement, schema, schemaUsage, table, type Requirement } from './requirement';
import { API_ROLES } from './roles';

const SUPABASE_PATH = '"$user", public, extensions';

/** What the rest of a Supabase project provides: extensions schema, API grants, realtime, migration history. */
export const PLATFORM_REQUIREMENTS: readonly Requirement[] = [
  schema('extensions'),
  extensionsOnPath(),
  schemaUsage('extensions', API_ROLES),
  schemaUsage('public', API_ROLES),
  publication('supabase_realtime'),
  schema('supabase_migrations'),
  table('supabase_migrations', 'schema_migrations', [
    ['version', 'text primary key'],
    ['statements', 'text[]'],
    ['name', 'text'],
  ]),
];

const DEFAULT_OBJECTS: [kind: string, objtype: string][] = [
  ['tables', 'r'],
  ['sequences', 'S'],
  ['functions', 'f'],
];
// Objects are created by whoever applies: the database owner locally, and whoever runs bootstrap.
const CREATORS = `array[current_user::text, (select pg_catalog.pg_get_userbyid(datdba)::text from pg_catalog.pg_database where datname = pg_catalog.current_database())]`;

/**
 * A Supabase project's default privileges: everything created in public by postgres is granted to
 * anon, authenticated and service_role (RLS is what restricts them). Tests against a target made
 * here then see what a real project sees: a table the plan leaves without RLS is open to anon.
 */
export const DEFAULT_PRIVILEGES: Requirement = requirement(
  'default privileges in public for anon, authenticated, service_role',
  `(select count(*) from pg_catalog.unnest(${CREATORS}) as c(r)
     cross join (values ('r'), ('S'), ('f')) as k(objtype)
     where not exists (select from pg_catalog.pg_default_acl d, pg_catalog.aclexplode(d.defaclacl) a
       where d.defaclrole = (select oid from pg_catalog.pg_roles where rolname = c.r)
         and d.defaclnamespace = pg_catalog.to_regnamespace('public') and d.defaclobjtype = k.objtype::"char"
         and a.grantee = (select oid from pg_catalog.pg_roles where rolname = 'anon'))) = 0`,
  [
    'do $defaults$ declare r text; begin',
    `  foreach r in array ${CREATORS} loop`,
    ...DEFAULT_OBJECTS.map(
      ([kind]) =>
        `    execute pg_catalog.format('alter default privileges for role %I in schema public grant all on ${kind} to anon, authenticated, service_role', r);`,
    ),
    '  end loop;',
    'end $defaults$;',
  ].join('\n'),
);

/**
 * A Supabase project's roles resolve names through `"$user", public, extensions`, so a function
 * body that calls an extension's function unqualified (crypt, uuid_generate_v4) still finds it
 * after the extension moved to `extensions`. Here the database carries that path for every
 * session; where the session already has extensions on its path (a real project), nothing changes.
 */
function extensionsOnPath(): Requirement {
  return requirement(
    'search_path with extensions',
    `pg_catalog.current_setting('search_path') ~ '(^|, )extensions(,|$)' or exists (
       select from pg_catalog.pg_db_role_setting s join pg_catalog.pg_database d on d.oid = s.setdatabase
       where d.datname = pg_catalog.current_database() and s.setrole = 0
         and 'search_path=${SUPABASE_PATH.replace(/'/g, "''")}' = any(s.setconfig))`,
    `do $path$ begin
  execute pg_catalog.format('alter database %I set search_path = ${SUPABASE_PATH}', pg_catalog.current_database());
end $path$;`,
  );
}
