import type { Column, Snapshot, Table } from '../../introspect/snapshot';
import type { Spec } from '../../spec/types';
import { buildNameMap } from '../schema/context';
import { selectObjects } from '../schema/select';
import type { GeneratedFile } from '../types';
import { checkKeywords, checkRefusesNull, type Keywords } from './checks';
import { typeRefOf } from './pg-types';
import { byName } from './relations';

export const DEFAULT_VALIDATION_OUTPUT = 'supabase/types/database.schemas.json';

const INT_RANGE: Record<string, [number, number]> = { int2: [-32768, 32767], int4: [-2147483648, 2147483647] };

/**
 * JSON Schemas (draft-07) for the Insert and Update payload of every migrated table: what the
 * database accepts for each column (nullability, defaults, enums, varchar lengths, integer
 * ranges, numeric precision, single-column checks). Pure.
 */
export function planValidation(snapshot: Snapshot, spec: Spec): GeneratedFile | null {
  if (spec.types.validation !== 'jsonschema') return null;
  const selected = selectObjects(snapshot, spec.schema);
  const names = buildNameMap(snapshot, spec.schema);
  const definitions: Record<string, unknown> = {};
  const tables = [...selected.tables].sort((a, b) =>
    byName({ name: `${names.schema(a.schema)}.${a.name}` }, { name: `${names.schema(b.schema)}.${b.name}` }),
  );
  for (const t of tables) {
    const q = `${names.schema(t.schema)}.${t.name}`;
    definitions[`${q}.Insert`] = payload(t, selected, true);
    definitions[`${q}.Update`] = payload(t, selected, false);
  }
  const doc = { $schema: 'http://json-schema.org/draft-07/schema#', definitions };
  return {
    path: spec.types.validationOutput ?? DEFAULT_VALIDATION_OUTPUT,
    content: `${JSON.stringify(doc, null, 2)}\n`,
  };
}

function payload(t: Table, snap: Snapshot, insert: boolean): unknown {
  const writable = [...t.columns].sort(byName).filter((c) => c.identity !== 'a' && c.generated === null);
  const properties: Record<string, unknown> = {};
  for (const c of writable) properties[c.name] = columnSchema(c, t, snap);
  const domainDefault = (c: Column) =>
    !c.isArray && snap.domains.some((d) => d.schema === c.typeSchema && d.name === c.typeName && d.default !== null);
  const required = insert
    ? writable
        .filter((c) => isNotNull(c, snap, t) && c.default === null && c.identity === null && !domainDefault(c))
        .map((c) => c.name)
    : [];
  return { type: 'object', additionalProperties: false, required, properties };
}

function isNotNull(c: Column, snap: Snapshot, t: Table): boolean {
  if (
    t.constraints.some(
      (k) =>
        k.kind === 'c' && k.columns.length === 1 && k.columns[0] === c.name && checkRefusesNull(k.definition, c.name),
    )
  )
    return true;
  return (
    c.notNull ||
    (!c.isArray && snap.domains.some((d) => d.schema === c.typeSchema && d.name === c.typeName && d.notNull))
  );
}

function columnSchema(c: Column, t: Table, snap: Snapshot): unknown {
  let value = valueSchema(c.isArray ? c.type.replace(/\[\]$/, '') : c.type, snap);
  const checks = t.constraints.filter((k) => k.kind === 'c' && k.columns.length === 1 && k.columns[0] === c.name);
  const extra = checks.map((k) => checkKeywords(k.definition, c.name)).filter((k): k is Keywords => k !== null);
  if (c.isArray) value = { type: 'array', items: value };
  if (extra.length > 0) value = { allOf: [value, ...extra] };
  return isNotNull(c, snap, t) ? value : { anyOf: [value, { type: 'null' }] };
}

/** The schema of one (non-array) value of a type as format_type() prints it. */
function valueSchema(formatted: string, snap: Snapshot): Keywords {
  const ref = typeRefOf(formatted);
  const mod = formatted.match(/\((\d+)(?:,(\d+))?\)/);
  const en = snap.enums.find((e) => e.name === ref.name && e.schema === ref.schema);
  if (en) return { enum: en.values };
  const domain = snap.domains.find((d) => d.name === ref.name && d.schema === ref.schema);
  if (domain) {
    const base = valueSchema(domain.baseType, snap);
    const extra = domain.checks
      .map((k) => checkKeywords(k.definition, 'VALUE'))
      .filter((k): k is Keywords => k !== null);
    return extra.length === 0 ? base : { allOf: [base, ...extra] };
  }
  if (ref.name === 'bool') return { type: 'boolean' };
  if (ref.name in INT_RANGE)
    return { type: 'integer', minimum: INT_RANGE[ref.name][0], maximum: INT_RANGE[ref.name][1] };
  if (ref.name === 'int8') return { type: 'integer' };
  if (ref.name === 'numeric' && mod) {
    // The value is rounded to the scale first: numeric(5,2) takes 999.994 but not 999.995.
    const [p, s] = [Number(mod[1]), Number(mod[2] ?? 0)];
    const bound = Number(`${'9'.repeat(p)}5e${-(s + 1)}`);
    return { type: 'number', exclusiveMinimum: -bound, exclusiveMaximum: bound };
  }
  if (['float4', 'float8', 'numeric'].includes(ref.name)) return { type: 'number' };
  if ((ref.name === 'varchar' || ref.name === 'bpchar') && mod) return { type: 'string', maxLength: Number(mod[1]) };
  if (ref.name === 'uuid')
    return {
      type: 'string',
      pattern: '^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$',
    };
  if (ref.name === 'json' || ref.name === 'jsonb') return {};
  if (
    [
      'text',
      'varchar',
      'bpchar',
      'citext',
      'date',
      'time',
      'timetz',
      'timestamp',
      'timestamptz',
      'interval',
      'bytea',
    ].includes(ref.name)
  )
    return { type: 'string' };
  return {};
}
