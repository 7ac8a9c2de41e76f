/**
 * What a single-column CHECK constraint says about a value, when it is one of the shapes JSON
 * Schema can state: comparisons with a number, a list of allowed values, text length, array
 * length. Anything else is left to the database.
 */
export type Keywords = Record<string, unknown>;

const NUM = String.raw`\(*(-?\d+(?:\.\d+)?)\)*(?:::[\w ]+)?`;
const OPS: Record<string, string> = { '>=': 'minimum', '>': 'exclusiveMinimum', '<=': 'maximum', '<': 'exclusiveMaximum' };

function conjuncts(definition: string): string[] {
  const parts = stripParens(definition.replace(/^CHECK\s*/, '')).split(/\)\s+AND\s+\(/);
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

/** JSON Schema keywords for `column`, or null when the check says something else. */
export function checkKeywords(definition: string, column: string): Keywords | null {
  const out: Keywords = {};
  const col = column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const part of conjuncts(definition)) {
    const cmp = part.match(new RegExp(String.raw`^\(?${col}\)?(?:::[\w ]+)? (>=|>|<=|<) ${NUM}$`));
    const len = part.match(new RegExp(String.raw`^(?:char_)?length\(${col}\) (>=|>|<=|<) ${NUM}$`));
    const any = part.match(new RegExp(String.raw`^${col} = ANY \(ARRAY\[(.*)\]\)$`));
    if (cmp) out[OPS[cmp[1]]] = Number(cmp[2]);
    else if (len) Object.assign(out, lengthKeywords(len[1], Number(len[2])));
    else if (any) out.enum = [...any[1].matchAll(/'((?:[^']|'')*)'::[\w ]+/g)].map((m) => m[1].replace(/''/g, "'"));
    else if (part === `${column} <> ''::text`) out.minLength = 1;
    else return null;
  }
  return out;
}

function lengthKeywords(op: string, n: number): Keywords {
  if (op === '>=') return { minLength: n };
  if (op === '>') return { minLength: n + 1 };
  if (op === '<=') return { maxLength: n };
  return { maxLength: n - 1 };
}
