import type { View } from '../../introspect/snapshot';

/**
 * What can be read from a view's definition as Postgres prints it: which of its columns are
 * plain references to a column of a relation in its FROM clause, and whether it is a simple
 * single-relation view that Postgres makes updatable on its own. Anything the reader does not
 * recognise counts as an expression (not traced, not updatable).
 */
export interface ViewShape {
  /** view column -> [relation `schema.name`, column] */
  sources: Map<string, [string, string]>;
  /** The one relation of a simple view, or null when the view is not auto-updatable. */
  simpleBase: string | null;
}

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const CLAUSE_END = /\b(WHERE|GROUP BY|HAVING|WINDOW|ORDER BY|LIMIT|OFFSET|UNION|INTERSECT|EXCEPT|FETCH)\b/;

function unquote(s: string): string {
  return s.startsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s;
}

/** The text with everything inside parentheses and string literals blanked out. */
function topLevel(text: string): string {
  let depth = 0;
  let out = '';
  let inString = false;
  for (const ch of text) {
    if (inString) {
      out += ' ';
      if (ch === "'") inString = false;
      continue;
    }
    if (ch === "'") inString = true;
    if (ch === '(') depth++;
    out += depth > 0 || inString ? ' ' : ch;
    if (ch === ')') depth--;
  }
  return out;
}

function splitTopLevel(text: string, masked: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < masked.length; i++) {
    if (masked[i] === ',') {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts;
}

export function readView(view: View): ViewShape {
  const none: ViewShape = { sources: new Map(), simpleBase: null };
  const text = view.definition.trim().replace(/;$/, '');
  const masked = topLevel(text);
  const select = masked.match(/^SELECT\s+(DISTINCT\s+)?/);
  const from = masked.search(/\bFROM\b/);
  if (!select || from < 0) return none;
  const listText = text.slice(select[0].length, from);
  const items = splitTopLevel(listText, masked.slice(select[0].length, from));
  const rest = masked.slice(from + 4);
  const end = rest.search(CLAUSE_END);
  const fromText = end < 0 ? rest : rest.slice(0, end);
  const aliases = new Map<string, string>();
  const rel = new RegExp(String.raw`(?:^|\bJOIN\b|,)\s*(${IDENT})\.(${IDENT})(?:\s+(?!JOIN\b|ON\b|LEFT\b|RIGHT\b|FULL\b|INNER\b|CROSS\b|NATURAL\b)(${IDENT}))?`, 'g');
  let relations = 0;
  for (const m of fromText.matchAll(rel)) {
    relations++;
    const q = `${unquote(m[1])}.${unquote(m[2])}`;
    aliases.set(m[3] ? unquote(m[3]) : unquote(m[2]), q);
  }
  const sources = new Map<string, [string, string]>();
  const itemRe = new RegExp(String.raw`^(?:(${IDENT})\.)?(${IDENT})(?:\s+AS\s+(${IDENT}))?$`);
  for (const item of items) {
    const m = item.match(itemRe);
    if (!m) continue;
    const alias = m[1] ? unquote(m[1]) : aliases.size === 1 ? [...aliases.keys()][0] : undefined;
    const relation = alias === undefined ? undefined : aliases.get(alias);
    if (relation) sources.set(m[3] ? unquote(m[3]) : unquote(m[2]), [relation, unquote(m[2])]);
  }
  const tail = end < 0 ? '' : rest.slice(end);
  const simple =
    !view.materialized &&
    !select[1] &&
    relations === 1 &&
    !/\bJOIN\b|,|\(/.test(text.slice(from + 4, from + 4 + fromText.length)) &&
    !/\b(GROUP BY|HAVING|WINDOW|LIMIT|OFFSET|UNION|INTERSECT|EXCEPT|FETCH)\b/.test(tail) &&
    !/\b(count|sum|avg|min|max|rank|dense_rank|row_number|array_agg|string_agg|json_agg|jsonb_agg)\s*\(/i.test(listText);
  return { sources, simpleBase: simple ? [...aliases.values()][0] : null };
}
