import type { Column, Snapshot } from '../../src/introspect/snapshot';
import { literal, qname } from '../../src/sql';

/** The users every seeded database has, in auth.users: owner columns point at them. */
export const SEED_USERS = ['10000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000003'];

const NUMERIC = /^(smallint|integer|bigint|numeric|real|double precision|int2|int4|int8|float4|float8|money|decimal)$/;
const TEXT = /^(text|character varying|character|varchar|char|bpchar|name|citext)$/;

/** Literals of types with a fixed shape, row i varying where a unique or exclusion constraint may ask it. */
const FIXED: Record<string, (i: number) => string> = {
  boolean: (i) => (i % 2 === 0 ? 'true' : 'false'),
  interval: (i) => `'${i + 1} day'`,
  json: () => "'{}'",
  jsonb: () => "'{}'",
  bytea: (i) => `'\\x0${i}'`,
  inet: (i) => `'10.0.0.${i + 1}'`,
  cidr: (i) => `'10.0.${i + 1}.0/24'`,
  macaddr: (i) => `'08:00:2b:01:02:0${i}'`,
  xml: (i) => `'<a>${i}</a>'`,
  ltree: (i) => `'a.b${i}'`,
  tsvector: (i) => `'a${i}'`,
  tsquery: (i) => `'a${i}'`,
  hstore: (i) => `'a=>${i}'`,
  point: (i) => `'(${i},0)'`,
  box: (i) => `'((${i},0),(${i + 1},1))'`,
  circle: (i) => `'<(${i},0),1>'`,
  polygon: (i) => `'((${i},0),(${i + 1},1),(${i + 1},0))'`,
  int4range: (i) => `'[${i * 10},${i * 10 + 5})'`,
  int8range: (i) => `'[${i * 10},${i * 10 + 5})'`,
  numrange: (i) => `'[${i * 10},${i * 10 + 5})'`,
  daterange: (i) => `'[2024-01-0${i + 1},2024-01-0${i + 2})'`,
  tsrange: (i) => `'[2024-01-0${i + 1},2024-01-0${i + 2})'`,
  tstzrange: (i) => `'[2024-01-0${i + 1},2024-01-0${i + 2})'`,
};

/** The length limit of character(n), varchar(n), bit(n) and the dimensions of vector(n). */
const typmod = (type: string): number | null => {
  const m = /\((\d+)\)(\[\])?$/.exec(type);
  return m ? Number(m[1]) : null;
};

/** `schema.name` as format_type qualifies a type, or the plain name of a built-in one. */
const sameType = (type: string, schema: string, name: string): boolean => type === `${schema}.${name}` || type === qname(schema, name);

/** A literal of a type for row i, or null when the generator knows no value of it. */
export function valueOfType(snapshot: Snapshot, type: string, i: number, depth = 0): string | null {
  if (depth > 4) return null;
  const plain = type.replace(/\(.*\)/, '');
  if (plain.endsWith('[]')) return "'{}'";
  const en = snapshot.enums.find((e) => sameType(plain, e.schema, e.name));
  if (en) return `${literal(en.values[i % en.values.length])}::${type}`;
  const domain = snapshot.domains.find((d) => sameType(plain, d.schema, d.name));
  if (domain) {
    const v = valueOfType(snapshot, domain.baseType, i, depth + 1);
    return v === null ? null : `(${v})::${type}`;
  }
  const composite = snapshot.composites.find((c) => sameType(plain, c.schema, c.name));
  if (composite) return compositeValue(snapshot, composite.attributes, type, i, depth);
  return builtinValue(plain.replace(/^pg_catalog\./, '').replace(/^(public|extensions)\./, ''), typmod(type), i);
}

function compositeValue(snapshot: Snapshot, attributes: { type: string }[], type: string, i: number, depth: number): string {
  const values = attributes.map((a) => valueOfType(snapshot, a.type, i, depth + 1) ?? 'null');
  return `row(${values.join(', ')})::${type}`;
}

function builtinValue(base: string, length: number | null, i: number): string | null {
  if (base === 'uuid') return literal(SEED_USERS[i % SEED_USERS.length]);
  if (NUMERIC.test(base)) return String(i + 1);
  if (/^(timestamp|date)/.test(base)) return `now() + interval '${i} day'`;
  if (base.startsWith('time')) return `'12:0${i}:00'`;
  if (base in FIXED) return FIXED[base](i);
  if (base === 'bit') return `B'${'1'.padStart(length ?? 1, '0')}'`;
  if (base === 'bit varying' || base === 'varbit') return "B'1'";
  if (base === 'vector') return literal(`[${Array.from({ length: length ?? 3 }, () => '0').join(',')}]`);
  if (TEXT.test(base)) return literal(length !== null && length < 2 ? 'a' : `a${i + 1}`);
  return null;
}

/** A text of row i for a column: short, fitting the column's length, different per row. */
function textValue(table: string, c: Column, i: number): string {
  const length = typmod(c.type);
  const text = `${table.slice(0, 3)}${i + 1}`;
  return literal(length !== null && length < text.length ? text.slice(-length) : text);
}

/** Whether a column takes a value from the generator: generated columns and identity always do not. */
export const writable = (c: Column): boolean => c.generated === null && c.identity !== 'a';

/**
 * A literal of the column's type for row i, or null to leave the default. `forced` gives a value
 * even where the column has a default: one that turned out null for a NOT NULL column.
 */
export function columnValue(snapshot: Snapshot, table: string, c: Column, i: number, forced = false): string | null {
  if (!writable(c)) return null;
  if (!forced && c.default !== null && !c.notNull) return null;
  if (!forced && c.default !== null && c.identity === null && !/nextval/.test(c.default)) return null;
  if (c.isArray) return "'{}'";
  const domain = snapshot.domains.find((d) => d.schema === c.typeSchema && d.name === c.typeName);
  const base = (domain?.baseType ?? c.typeName).replace(/\(.*\)/, '').replace(/^pg_catalog\./, '');
  if (TEXT.test(base) || c.typeName === 'citext') {
    const text = textValue(table, c, i);
    return domain ? `${text}::${c.type}` : text;
  }
  return valueOfType(snapshot, c.type, i);
}
