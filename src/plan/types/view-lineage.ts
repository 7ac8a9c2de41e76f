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

/** Top-level parenthesised groups as [open, close] offsets. */
function groups(text: string): [number, number][] {
  const out: [number, number][] = [];
  let depth = 0;
  let open = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === "'") inString = false;
    } else if (ch === "'") inString = true;
    else if (ch === '(' && depth++ === 0) open = i;
    else if (ch === ')' && --depth === 0) out.push([open, i]);
  }
  return out;
}

type Sources = Map<string, [string, string]>;

/** `WITH a AS (...), b AS (...) SELECT ...`: the CTEs' own lineage, and the main query's text. */
function splitWith(text: string, named: Map<string, Sources>): { body: string; named: Map<string, Sources> } {
  if (!/^WITH\s/.test(text)) return { body: text, named };
  const scope = new Map(named);
  let rest = text;
  for (const [open, close] of groups(text)) {
    const head = text.slice(0, open).match(new RegExp(String.raw`(?:WITH|,)\s+(${IDENT})\s+AS\s+(?:(?:NOT\s+)?MATERIALIZED\s+)?$`));
    if (!head) break;
    scope.set(unquote(head[1]), readQuery(text.slice(open + 1, close).trim(), scope).sources);
    rest = text.slice(close + 1).trim();
  }
  return { body: rest, named: scope };
}

interface QueryShape {
  sources: Sources;
  /** The single relation a simple query reads, else null. */
  simpleBase: string | null;
}

function readQuery(query: string, outer: Map<string, Sources>): QueryShape {
  const none: QueryShape = { sources: new Map(), simpleBase: null };
  const { body: text, named } = splitWith(query.trim(), outer);
  const masked = topLevel(text);
  const select = masked.match(/^SELECT\s+(DISTINCT\s+)?/);
  const from = masked.search(/\bFROM\b/);
  if (!select || from < 0) return none;
  const listText = text.slice(select[0].length, from);
  const items = splitTopLevel(listText, masked.slice(select[0].length, from));
  const rest = masked.slice(from + 4);
  const end = rest.search(CLAUSE_END);
  const fromEnd = from + 4 + (end < 0 ? rest.length : end);
  const fromText = masked.slice(from + 4, fromEnd);
  // alias -> where its columns come from: a table or view, a CTE, or a subquery
  const aliases = new Map<string, (col: string) => [string, string] | undefined>();
  let relations = 0;
  const rel = new RegExp(String.raw`(?:^|\bJOIN\b|,)\s*(?:ONLY\s+)?(${IDENT})(?:\.(${IDENT}))?(?:\s+(?!JOIN\b|ON\b|LEFT\b|RIGHT\b|FULL\b|INNER\b|CROSS\b|NATURAL\b|USING\b)(${IDENT}))?`, 'g');
  for (const m of fromText.matchAll(rel)) {
    if (m[1] === 'LATERAL') continue;
    relations++;
    if (m[2] !== undefined) {
      const q = `${unquote(m[1])}.${unquote(m[2])}`;
      aliases.set(m[3] ? unquote(m[3]) : unquote(m[2]), (col) => [q, col]);
    } else if (named.has(unquote(m[1]))) {
      const cte = named.get(unquote(m[1])) as Sources;
      aliases.set(m[3] ? unquote(m[3]) : unquote(m[1]), (col) => cte.get(col));
    }
  }
  for (const [open, close] of groups(text)) {
    if (open < from || close > fromEnd) continue;
    const alias = text.slice(close + 1).match(new RegExp(String.raw`^\s+(?:AS\s+)?(${IDENT})`));
    if (!alias) continue;
    relations++;
    const inner = readQuery(text.slice(open + 1, close), named).sources;
    aliases.set(unquote(alias[1]), (col) => inner.get(col));
  }
  const sources: Sources = new Map();
  const itemRe = new RegExp(String.raw`^(?:(${IDENT})\.)?(${IDENT})(?:\s+AS\s+(${IDENT}))?$`);
  for (const item of items) {
    const m = item.match(itemRe);
    if (!m) continue;
    const alias = m[1] ? unquote(m[1]) : aliases.size === 1 ? [...aliases.keys()][0] : undefined;
    const source = alias === undefined ? undefined : aliases.get(alias)?.(unquote(m[2]));
    if (source) sources.set(m[3] ? unquote(m[3]) : unquote(m[2]), source);
  }
  const tail = end < 0 ? '' : rest.slice(end);
  if (/\b(UNION|INTERSECT|EXCEPT)\b/.test(tail)) return none;
  const plainTable = [...fromText.matchAll(rel)].length === 1 && groups(text.slice(from + 4, fromEnd)).length === 0 && !/\bJOIN\b|,/.test(fromText);
  const only = plainTable ? fromText.match(new RegExp(String.raw`^\s*(?:ONLY\s+)?(${IDENT})\.(${IDENT})`)) : null;
  const simple =
    only !== null &&
    !select[1] &&
    relations === 1 &&
    named === outer &&
    !/\b(GROUP BY|HAVING|WINDOW|LIMIT|OFFSET|FETCH)\b/.test(tail) &&
    !/\b(count|sum|avg|min|max|rank|dense_rank|row_number|array_agg|string_agg|json_agg|jsonb_agg)\s*\(/i.test(listText);
  return { sources, simpleBase: simple && only ? `${unquote(only[1])}.${unquote(only[2])}` : null };
}

export function readView(view: View): ViewShape {
  const shape = readQuery(view.definition.trim().replace(/;$/, ''), new Map());
  return view.materialized ? { ...shape, simpleBase: null } : shape;
}
