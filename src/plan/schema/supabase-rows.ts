import { AUTH_TOKEN_COLUMNS } from '../../introspect/auth-tokens';
import type { Snapshot, SupabaseTable } from '../../introspect/snapshot';
import { ident, literal, qname } from '../../sql';
import type { SchemaMapping } from '../../spec/types';
import type { Step } from '../types';
import { step } from './step';

const TOKEN_COLUMNS = AUTH_TOKEN_COLUMNS;

// Identities point at users: users first.
const LOAD_ORDER = ['auth.users', 'auth.identities', 'storage.buckets'];
export const rel = (t: SupabaseTable) => `${t.schema}.${t.name}`;
export const stagingName = (t: SupabaseTable) => `import_${t.schema}_${t.name}`;
const staging = (t: SupabaseTable) => qname('supamigrate', stagingName(t));

/** The Supabase tables whose rows move: only where the source's schema is Supabase's, not renamed. */
export function carriedSupabaseTables(
  snapshot: Snapshot,
  mapping: Pick<SchemaMapping, 'renameSchemas'>,
): SupabaseTable[] {
  const rank = (t: SupabaseTable) => LOAD_ORDER.indexOf(rel(t));
  return (snapshot.supabaseTables ?? [])
    .filter((t) => !(t.schema in mapping.renameSchemas) && t.columns.length > 0)
    .sort((a, b) => rank(a) - rank(b));
}

// A type of the source's own schemas (storage.buckettype) may be missing on the target: the
// staging column holds its text, and the import casts it to whatever the target declares.
export const stagingType = (type: string) => (/^[a-z ]+(\(\d+(,\d+)?\))?(\[\])?$/.test(type) ? type : 'text');

/**
 * Pre-data: an engine-owned table per Supabase table, which the data phase fills from the
 * source. The rows reach auth.users only through the import step, so rollback removes exactly them.
 */
export function supabaseStagingSteps(snapshot: Snapshot, mapping: Pick<SchemaMapping, 'renameSchemas'>): Step[] {
  return carriedSupabaseTables(snapshot, mapping).map((t) => {
    const columns = t.columns.map((c) => `  ${ident(c.name)} ${stagingType(c.type)}`).join(',\n');
    const up = `create schema if not exists supamigrate;\ncreate table ${staging(t)} (\n${columns}\n);`;
    return step(`supabase:staging:${rel(t)}`, 'pre-data', 'supabase-rows', up, `drop table ${staging(t)};`);
  });
}

/**
 * First in post-data, before the keys that need the users and before any trigger on auth.users
 * exists (a profile-per-user trigger would otherwise add rows the data phase already loaded):
 * the staged rows go into Supabase's table, with the columns both sides have, each cast to the
 * target's type; auth tokens NULL on the source become '' (NULL breaks sign-in).
 */
export function supabaseImportSteps(snapshot: Snapshot, mapping: Pick<SchemaMapping, 'renameSchemas'>): Step[] {
  return carriedSupabaseTables(snapshot, mapping).map((t) => {
    const target = qname(t.schema, t.name);
    const tokens = `array[${TOKEN_COLUMNS.map(literal).join(', ')}]::text[]`;
    const up = [
      'do $import$',
      'declare names text; vals text;',
      'begin',
      "  select string_agg(pg_catalog.quote_ident(s.attname), ', ' order by s.attnum),",
      `    string_agg(pg_catalog.format(case when s.attname = any(${tokens}) then 'coalesce(%I::text, '''')::%s' else '%I::%s' end,`,
      "      s.attname, pg_catalog.format_type(d.atttypid, d.atttypmod)), ', ' order by s.attnum)",
      '    into names, vals',
      '  from pg_catalog.pg_attribute s',
      `  join pg_catalog.pg_attribute d on d.attrelid = ${literal(target)}::regclass and d.attname = s.attname`,
      "    and d.attnum > 0 and not d.attisdropped and d.attgenerated = ''",
      `  where s.attrelid = ${literal(staging(t))}::regclass and s.attnum > 0 and not s.attisdropped;`,
      `  execute pg_catalog.format('insert into ${target.replace(/%/g, '%%')} (%s) select %s from ${staging(t).replace(/%/g, '%%')}', names, vals);`,
      'end',
      '$import$;',
    ].join('\n');
    const key = t.key.length > 0 ? t.key : t.columns.map((c) => c.name);
    const keyList = key.map(ident).join(', ');
    const down = `delete from ${target} where (${keyList}) in (select ${key.map((k) => `${ident(k)}::${typeOf(t, k)}`).join(', ')} from ${staging(t)});`;
    return step(`supabase:import:${rel(t)}`, 'post-data', 'supabase-rows', up, down);
  });
}

function typeOf(t: SupabaseTable, column: string): string {
  return t.columns.find((c) => c.name === column)?.type ?? 'text';
}
