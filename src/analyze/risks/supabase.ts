/** What a Supabase project offers and reserves (see SUPABASE.md); used to judge the source. */

export const AVAILABLE_EXTENSIONS = new Set([
  'plpgsql',
  'citext',
  'hstore',
  'ltree',
  'pg_trgm',
  'pgcrypto',
  'uuid-ossp',
  'unaccent',
  'btree_gin',
  'btree_gist',
  'cube',
  'earthdistance',
  'fuzzystrmatch',
  'intarray',
  'isn',
  'tablefunc',
  'postgis',
  'pgrouting',
  'pg_cron',
  'pg_net',
  'pg_graphql',
  'pg_jsonschema',
  'pg_stat_statements',
  'pgtap',
  'plpgsql_check',
  'plv8',
  'postgres_fdw',
  'dblink',
  'http',
  'hypopg',
  'index_advisor',
  'rum',
  'seg',
  'timescaledb',
  'vector',
  'wrappers',
  'pgmq',
  'pg_partman',
  'pg_hashids',
  'moddatetime',
  'tcn',
]);

export const UNAVAILABLE_EXTENSIONS = new Set([
  'adminpack',
  'pageinspect',
  'pg_buffercache',
  'pg_surgery',
  'lo',
  'intagg',
  'xml2',
  'mysql_fdw',
  'oracle_fdw',
  'tds_fdw',
  'plpythonu',
  'plpython2u',
  'plpython3u',
  'plperlu',
  'pltclu',
]);

/** Extensions whose whole point needs superuser (reading server files). */
export const SUPERUSER_EXTENSIONS = new Set(['file_fdw']);

/** Languages only a superuser may create functions in; `c` loads arbitrary shared objects. */
export const UNTRUSTED_LANGUAGES = new Set(['c', 'plpythonu', 'plpython2u', 'plpython3u', 'plperlu', 'pltclu']);

export const RESERVED_SCHEMAS = ['auth', 'realtime', 'storage'];

export function isPlatformRole(name: string): boolean {
  return (
    [
      'postgres',
      'anon',
      'authenticated',
      'service_role',
      'authenticator',
      'public',
      'pgbouncer',
      'dashboard_user',
    ].includes(name.toLowerCase()) ||
    name.startsWith('supabase_') ||
    name.startsWith('pg_')
  );
}

export const LARGE_TABLE_ROWS = 10_000_000;
export const LARGE_TABLE_BYTES = 10 * 1024 ** 3;
