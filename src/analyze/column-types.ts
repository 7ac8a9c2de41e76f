import type { Column } from '../introspect/snapshot';

/** SQL spellings that format_type() prints, mapped to the catalog's type names. */
const CATALOG_NAMES: Record<string, string> = {
  real: 'float4',
  'double precision': 'float8',
  smallint: 'int2',
  integer: 'int4',
  bigint: 'int8',
  boolean: 'bool',
  'character varying': 'varchar',
  character: 'bpchar',
  'timestamp with time zone': 'timestamptz',
  'timestamp without time zone': 'timestamp',
};

/**
 * The catalog name of a column's type, or of its element type for arrays. The introspector may
 * give array types either as `_float4` or as the element name with isArray set; both land here.
 */
export function elementType(column: Column): string {
  let name = column.typeName;
  if (column.isArray && name.startsWith('_')) name = name.slice(1);
  return CATALOG_NAMES[name] ?? name;
}

export const isTimestamp = (c: Column): boolean => !c.isArray && ['timestamp', 'timestamptz'].includes(elementType(c));

export const isBoolean = (c: Column): boolean => !c.isArray && elementType(c) === 'bool';

export const isText = (c: Column): boolean =>
  !c.isArray && ['text', 'varchar', 'bpchar', 'citext'].includes(elementType(c));

export const isUuid = (c: Column): boolean => !c.isArray && elementType(c) === 'uuid';

export const isFloatArray = (c: Column): boolean =>
  c.isArray && ['float4', 'float8', 'numeric'].includes(elementType(c));

export const PGVECTOR_TYPES = ['vector', 'halfvec', 'sparsevec'];

export const isPgvector = (c: Column): boolean => !c.isArray && PGVECTOR_TYPES.includes(elementType(c));

/** A serial column: its default draws from a sequence the column owns, and it is no identity. */
export function isSerial(column: Column, ownedSequences: ReadonlySet<string>, tableName: string): boolean {
  return (
    column.identity === null &&
    column.default !== null &&
    /^nextval\(/.test(column.default) &&
    ownedSequences.has(`${tableName}.${column.name}`)
  );
}
