/**
 * Which column type changes can lose or reject data, and which make Postgres rewrite the table.
 * Types are compared as format_type() prints them.
 */
export interface TypeChange {
  narrowing: boolean;
  rewrite: boolean;
  /** A predicate over `$col` true for values that do not fit the new type, when one can be written. */
  violates: string | null;
}

const INT_RANGE: Record<string, [string, string]> = {
  smallint: ['-32768', '32767'],
  integer: ['-2147483648', '2147483647'],
  bigint: ['-9223372036854775808', '9223372036854775807'],
};
const INT_RANK: Record<string, number> = { smallint: 1, integer: 2, bigint: 3, numeric: 4 };

const VARLEN = /^(character varying|character|varchar|bit varying)(?:\((\d+)\))?$/;
const NUMERIC = /^numeric(?:\((\d+)(?:,\s*(\d+))?\))?$/;

export function classifyTypeChange(from: string, to: string): TypeChange {
  if (from === to) return { narrowing: false, rewrite: false, violates: null };
  const lenFrom = textLength(from);
  const lenTo = textLength(to);
  if (lenFrom !== undefined && lenTo !== undefined) {
    // Widening a varchar or turning it into text is a catalog-only change.
    if (lenTo === null || (lenFrom !== null && lenTo >= lenFrom && !to.startsWith('character(')))
      return { narrowing: false, rewrite: false, violates: null };
    return { narrowing: true, rewrite: true, violates: `length($col) > ${lenTo}` };
  }
  const baseFrom = numericBase(from);
  const baseTo = numericBase(to);
  if (baseFrom && baseTo && INT_RANGE[baseTo] && INT_RANK[baseFrom] > INT_RANK[baseTo]) {
    const [min, max] = INT_RANGE[baseTo];
    return { narrowing: true, rewrite: true, violates: `$col not between ${min} and ${max}` };
  }
  const numFrom = NUMERIC.exec(from);
  const numTo = NUMERIC.exec(to);
  if (numFrom && numTo) {
    if (!numTo[1]) return { narrowing: false, rewrite: false, violates: null };
    const digits = Number(numTo[1]) - Number(numTo[2] ?? 0);
    const wider =
      numFrom[1] &&
      Number(numFrom[1]) - Number(numFrom[2] ?? 0) <= digits &&
      Number(numFrom[2] ?? 0) <= Number(numTo[2] ?? 0);
    if (wider) return { narrowing: false, rewrite: false, violates: null };
    return { narrowing: true, rewrite: true, violates: `abs($col) >= 1e${digits}` };
  }
  const lossy = (a: string, b: string) => from.startsWith(a) && to.startsWith(b);
  if (
    lossy('timestamp', 'date') ||
    lossy('timestamp with time zone', 'timestamp without') ||
    lossy('double precision', 'real') ||
    lossy('jsonb', 'json')
  ) {
    return { narrowing: true, rewrite: true, violates: null };
  }
  // Any other change of type converts every row.
  return { narrowing: false, rewrite: true, violates: null };
}

/** Length limit of a character type: a number, null for no limit (text), undefined for other types. */
function textLength(type: string): number | null | undefined {
  if (type === 'text') return null;
  const m = VARLEN.exec(type);
  if (!m) return undefined;
  return m[2] ? Number(m[2]) : m[1] === 'character' ? 1 : null;
}

function numericBase(type: string): string | null {
  if (type in INT_RANGE) return type;
  return NUMERIC.test(type) ? 'numeric' : null;
}
