/**
 * What a single-column CHECK constraint says about a value, when it is one of the shapes JSON
 * Schema (and zod) can state: comparisons with a number, a list of allowed values, text length,
 * "not this number". Anything else is left to the database.
 */
export type Keywords = Record<string, unknown>;

/** A number as ruleutils prints a constant: `5`, `(5)::numeric`, `'-5'::integer`, `0.5`. */
const NUM = String.raw`(?:'(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)'|\(*(-?\d+(?:\.\d+)?)\)*)(?:::[\w ]+)?`;
const OPS: Record<string, string> = {
  '>=': 'minimum',
  '>': 'exclusiveMinimum',
  '<=': 'maximum',
  '<': 'exclusiveMaximum',
};

function conjuncts(definition: string): string[] {
  const parts = stripParens(definition.replace(/^CHECK\s*/, '').replace(/\s+NOT VALID$/, '')).split(/\)\s+AND\s+\(/);
  if (parts.length > 1) {
    parts[0] = parts[0].replace(/^\(/, '');
    parts[parts.length - 1] = parts[parts.length - 1].replace(/\)$/, '');
  }
  return parts.map(stripParens);
}

function stripParens(s: string): string {
  let t = s.trim();
  while (t.startsWith('(') && t.endsWith(')') && balanced(t.slice(1, -1))) t = t.slice(1, -1).trim();
  return t;
}

function balanced(s: string): boolean {
  let depth = 0;
  for (const ch of s) {
    depth += ch === '(' ? 1 : ch === ')' ? -1 : 0;
    if (depth < 0) return false;
  }
  return depth === 0;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The column as a definition names it: bare or quoted, possibly cast (`(name)::text`). */
function columnPattern(column: string): string {
  const name = `(?:${escape(column)}|${escape(`"${column.replace(/"/g, '""')}"`)})`;
  return String.raw`(?:\(${name}\)(?:::[\w ]+(?:\[\])?)?|${name}(?:::[\w ]+(?:\[\])?)?)`;
}

const numberOf = (m: RegExpMatchArray, at: number) => Number(m[at] ?? m[at + 1]);

/** JSON Schema keywords for `column`, or null when the check says something else. */
export function checkKeywords(definition: string, column: string): Keywords | null {
  const out: Keywords = {};
  const col = columnPattern(column);
  for (const part of conjuncts(definition)) {
    const cmp = part.match(new RegExp(String.raw`^${col} (>=|>|<=|<) ${NUM}$`));
    const len = part.match(new RegExp(String.raw`^(?:char_)?length\(${col}\) (>=|>|<=|<) ${NUM}$`));
    const any = part.match(new RegExp(String.raw`^${col} = ANY \(\(?ARRAY\[(.*)\](?:\)::[\w ]+\[\])?\)$`));
    const not = part.match(new RegExp(String.raw`^${col} <> ${NUM}$`));
    if (cmp) out[OPS[cmp[1]]] = numberOf(cmp, 2);
    else if (len) Object.assign(out, lengthKeywords(len[1], numberOf(len, 2)));
    else if (any) out.enum = listed(any[1]);
    else if (part.match(new RegExp(String.raw`^${col} <> ''::[\w ]+$`))) out.minLength = 1;
    else if (not) out.not = { const: numberOf(not, 1) };
    else if (part.match(new RegExp(String.raw`^${col} IS NOT NULL$`))) continue;
    else return null;
  }
  return out;
}

/** Whether the check refuses NULL (`col IS NOT NULL` among its conjuncts). */
export function checkRefusesNull(definition: string, column: string): boolean {
  const col = columnPattern(column);
  return conjuncts(definition).some((part) => new RegExp(String.raw`^${col} IS NOT NULL$`).test(part));
}

const NUMERIC_CASTS = new Set(['integer', 'bigint', 'smallint', 'numeric', 'real', 'double precision']);

/** `'a'::text, 'it''s'::text` or `1, '-2'::integer, (3)::numeric`: the allowed values. */
function listed(items: string): unknown[] {
  const out: unknown[] = [];
  for (const m of items.matchAll(/'((?:[^']|'')*)'::([\w ]+)|\(*(-?\d+(?:\.\d+)?)\)*(?:::[\w ]+)?/g)) {
    if (m[3] !== undefined) out.push(Number(m[3]));
    else out.push(NUMERIC_CASTS.has(m[2]) ? Number(m[1]) : m[1].replace(/''/g, "'"));
  }
  return out;
}

function lengthKeywords(op: string, n: number): Keywords {
  if (op === '>=') return { minLength: n };
  if (op === '>') return { minLength: n + 1 };
  if (op === '<=') return { maxLength: n };
  return { maxLength: n - 1 };
}
