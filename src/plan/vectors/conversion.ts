import { ident } from '../../sql';
import { elementType } from '../../analyze/column-types';
import type { VectorColumn } from './columns';

/**
 * How a source value becomes pgvector's text form (`[1,2,3]`) inside the source SELECT, so the
 * target's vector input function parses it during the load like any other column. Float arrays
 * go through real[] first: that is what a vector stores, so both sides print the same digits and
 * data checksums compare. Returns null when the column already travels as is (pgvector to the
 * same type).
 */
export function vectorText(v: VectorColumn): string | null {
  const col = ident(v.column.name);
  if (v.storage === 'pgvector') return elementType(v.column) === v.settings.type ? null : `(${col})::text`;
  if (v.storage === 'jsonb') {
    const elements = `select string_agg((e.value::text::real)::text, ',' order by e.ordinality) from jsonb_array_elements(${col}) with ordinality as e(value, ordinality)`;
    return `case when jsonb_typeof(${col}) = 'array' then '[' || coalesce((${elements}), '') || ']' end`;
  }
  const asReal = elementType(v.column) === 'float4' ? col : `(${col})::real[]`;
  return `'[' || array_to_string(${asReal}, ',') || ']'`;
}

/** True when the value has the declared number of dimensions and no null element; null stays null. */
export function rightLength(v: VectorColumn): string | null {
  const col = ident(v.column.name);
  const n = v.settings.dimensions;
  if (v.storage === 'pgvector') return null;
  if (v.storage === 'jsonb')
    return `(${col} is null or (jsonb_typeof(${col}) = 'array' and jsonb_array_length(${col}) = ${n}))`;
  return `(${col} is null or (cardinality(${col}) = ${n} and array_position(${col}, null) is null))`;
}

/** Wrong-length rows: the `not` of rightLength, for counting them on the source. */
export function wrongLength(v: VectorColumn): string | null {
  const ok = rightLength(v);
  return ok === null ? null : `not ${ok}`;
}

/**
 * The column's source expression for the copy. `fail` converts every row and lets the target's
 * vector(N) refuse a wrong one (the chunk fails and names the row's key); `null` turns a wrong
 * length into a null; `skip` converts as is, the row filter keeps those rows out.
 */
export function sourceExpression(v: VectorColumn): string | null {
  const text = vectorText(v);
  if (v.settings.onWrongLength !== 'null' || v.storage === 'pgvector') return text;
  return `case when ${rightLength(v)} then ${text ?? ident(v.column.name)} end`;
}

/** Row filter for `skip`: only rows of the right length are read from the source. */
export function rowFilter(v: VectorColumn): string | null {
  return v.settings.onWrongLength === 'skip' ? rightLength(v) : null;
}
