import type { Snapshot } from '../../introspect/snapshot';
import { str } from './layout';

/** format_type() spellings of built-in types -> the pg_type name Supabase's generator maps. */
const CATALOG_NAMES: Record<string, string> = {
  boolean: 'bool',
  smallint: 'int2',
  integer: 'int4',
  bigint: 'int8',
  real: 'float4',
  'double precision': 'float8',
  'character varying': 'varchar',
  character: 'bpchar',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
  'time without time zone': 'time',
  'time with time zone': 'timetz',
};

const STRING_TYPES = new Set([
  'bytea',
  'bpchar',
  'varchar',
  'date',
  'text',
  'citext',
  'time',
  'timetz',
  'timestamp',
  'timestamptz',
  'uuid',
  'vector',
  'interval',
]);
const NUMBER_TYPES = new Set(['int2', 'int4', 'int8', 'float4', 'float8', 'numeric']);

/** A type as the generator sees it: the pg_type name (arrays as `_name`) and its schema. */
export interface TypeRef {
  name: string;
  schema: string;
}

/** Parses a format_type() text such as `character varying(20)[]` or `public.mood`. */
export function typeRefOf(formatted: string): TypeRef {
  let text = formatted.trim();
  let array = false;
  if (text.endsWith('[]')) {
    array = true;
    text = text.replace(/(\[\])+$/, '');
  }
  text = text
    .replace(/\(.*\)$/, '')
    .replace(/\(\d+(,\d+)?\)/, '')
    .trim();
  let schema = 'pg_catalog';
  const dot = text.match(/^("(?:[^"]|"")+"|[^."]+)\.(.+)$/);
  if (dot) {
    schema = unquote(dot[1]);
    text = dot[2];
  }
  const name = CATALOG_NAMES[text] ?? unquote(text);
  return { name: array ? `_${name}` : name, schema };
}

function unquote(s: string): string {
  return s.startsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s;
}

/** Where the TypeScript for a user-defined type comes from: the exposed schemas' enums etc. */
export interface TypeScope {
  exposed: Set<string>;
  snapshot: Snapshot;
  /** source schema -> target schema */
  schemaOf(name: string): string;
}

/**
 * The type the generator maps for a table or view column: a domain column reads as its
 * domain's immediate base type (one level). Domains anywhere else (array elements, function
 * arguments and results, composite attributes) stay unresolved and map to unknown.
 */
export function columnTypeRef(ref: TypeRef, scope: TypeScope): TypeRef {
  const domain = scope.snapshot.domains.find((d) => d.name === ref.name && d.schema === ref.schema);
  if (domain) return typeRefOf(domain.baseType);
  const builtIn = ref.schema === 'information_schema' ? INFORMATION_SCHEMA_DOMAINS[ref.name] : undefined;
  return builtIn ? { name: builtIn, schema: 'pg_catalog' } : ref;
}

/**
 * Postgres's own domains, which no snapshot holds (a view over information_schema shows them,
 * as apflora's v_datenstruktur does), with the pg_type name of their base type.
 */
const INFORMATION_SCHEMA_DOMAINS: Record<string, string> = {
  cardinal_number: 'int4',
  character_data: 'varchar',
  sql_identifier: 'name',
  time_stamp: 'timestamptz',
  yes_or_no: 'varchar',
};

/** Maps a pg type to TypeScript as Supabase's generator does. */
export function tsType(ref: TypeRef, scope: TypeScope): string {
  const { name } = ref;
  if (name === 'bool') return 'boolean';
  if (NUMBER_TYPES.has(name)) return 'number';
  if (STRING_TYPES.has(name)) return 'string';
  if (name === 'json' || name === 'jsonb') return 'Json';
  if (name === 'void') return 'undefined';
  if (name === 'record') return 'Record<string, unknown>';
  if (name.startsWith('_')) return arrayOf(tsType({ name: name.slice(1), schema: ref.schema }, scope));
  return userType(ref, scope);
}

function userType(ref: TypeRef, scope: TypeScope): string {
  const snap = scope.snapshot;
  const pick = <T extends { schema: string; name: string }>(list: T[]): T | undefined => {
    const same = list.filter((o) => o.name === ref.name);
    return same.find((o) => o.schema === ref.schema) ?? same[0];
  };
  const en = pick(snap.enums);
  if (en) {
    const schema = scope.schemaOf(en.schema);
    if (scope.exposed.has(schema)) return `Database[${str(schema)}]["Enums"][${str(en.name)}]`;
    return en.values.map((v) => str(v)).join(' | ');
  }
  const comp = pick(snap.composites);
  if (comp) {
    const schema = scope.schemaOf(comp.schema);
    return scope.exposed.has(schema) ? `Database[${str(schema)}]["CompositeTypes"][${str(comp.name)}]` : 'unknown';
  }
  // Relations: the one in the type's own schema, whatever its kind, before a same-named one elsewhere.
  const kinds = [
    ['Tables', snap.tables],
    ['Tables', snap.foreignTables ?? []],
    ['Views', snap.views],
  ] as const;
  const find = (match: (o: { schema: string; name: string }) => boolean) => {
    for (const [kind, list] of kinds) {
      const found = (list as { schema: string; name: string }[]).find(match);
      if (found) return { kind, found };
    }
    return undefined;
  };
  const hit = find((o) => o.name === ref.name && o.schema === ref.schema) ?? find((o) => o.name === ref.name);
  return hit ? relationRow(hit.kind, scope.schemaOf(hit.found.schema), hit.found.name, scope) : 'unknown';
}

function relationRow(kind: string, schema: string, name: string, scope: TypeScope): string {
  return scope.exposed.has(schema) ? `Database[${str(schema)}]["${kind}"][${str(name)}]["Row"]` : 'unknown';
}

/** `T | null` as the generator writes it: Json already holds null, unknown needs nothing. */
export function nullable(ts: string, isNullable: boolean): string {
  if (ts === 'Json' && !isNullable) return 'NonNullable<Json>';
  if (ts === 'unknown' || ts === 'any' || !isNullable) return ts;
  return `${ts} | null`;
}

/** `T[]`, with parentheses only where the element is a union. */
export function arrayOf(ts: string): string {
  return ts.includes(' | ') ? `(${ts})[]` : `${ts}[]`;
}
