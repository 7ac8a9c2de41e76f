/**
 * Reads the one thing introspection needs from a view's stored rewrite rule (`pg_rewrite.ev_action`,
 * a `pg_node_tree` as Postgres's outfuncs print it): for each output column of the top-level query,
 * the table column it shows unchanged. Postgres's parser records that itself (`resorigtbl`,
 * `resorigcol` of each target entry), following subqueries and CTEs, so nothing is guessed here.
 */

export interface TargetOrigin {
  /** 1-based output column number (the view's attnum). */
  resno: number;
  /** pg_class oid of the relation the column comes from. */
  relid: string;
  /** Its attnum there. */
  attnum: number;
}

const SPACE = 32;
const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const BACKSLASH = 92;
const QUOTE = 34;

const isDelimiter = (c: number) =>
  c === SPACE || c === 10 || c === 9 || c === OPEN_PAREN || c === CLOSE_PAREN || c === OPEN_BRACE || c === CLOSE_BRACE;

/**
 * End of the token (a word or a quoted string) that starts at i; a backslash escapes the next
 * character, the token's first one included: outfuncs print a name that starts with a bracket or
 * a space, such as the column alias `(x`, as `\(x`.
 */
function tokenEnd(text: string, i: number): number {
  const quoted = text.charCodeAt(i) === QUOTE;
  let j = text.charCodeAt(i) === BACKSLASH ? i + 2 : i + 1;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === BACKSLASH) j += 2;
    else if (quoted ? c === QUOTE : isDelimiter(c)) return quoted ? j + 1 : j;
    else j++;
  }
  return j;
}

// A bracket, or a backslash that escapes the character after it.
const BRACKET_OR_ESCAPE = /[(){}\\]/g;

/**
 * The next bracket that is not escaped, from i on. Outfuncs escape every bracket inside a word or a
 * quoted string with a backslash, so the brackets found this way are the tree's own. The regular
 * expression scans the text natively: most of a view's tree (its range table) is skipped this way.
 */
function nextBracket(text: string, i: number): number {
  BRACKET_OR_ESCAPE.lastIndex = i;
  while (BRACKET_OR_ESCAPE.test(text)) {
    const at = BRACKET_OR_ESCAPE.lastIndex - 1;
    if (text.charCodeAt(at) !== BACKSLASH) return at;
    BRACKET_OR_ESCAPE.lastIndex = at + 2;
  }
  return text.length;
}

/**
 * The target entries of the top-level query that record an origin (columns computed by an
 * expression have `resorigtbl 0` and are left out; so are junk entries). One pass over the text:
 * brackets are counted, and words are cut out only at the depth of the query and of its entries.
 */
export function targetOrigins(tree: string): TargetOrigin[] {
  const out: TargetOrigin[] = [];
  // `({QUERY ... :targetList ({TARGETENTRY ...} ...) ...})`: query fields at depth 2, entries at 4
  let depth = 0;
  let inList = false;
  let field = '';
  let entry: Record<string, string> = {};
  let i = 0;
  while (i < tree.length) {
    const c = tree.charCodeAt(i);
    if (c === SPACE || c === 10 || c === 9) {
      i++;
    } else if (c === OPEN_PAREN || c === OPEN_BRACE) {
      depth++;
      i++;
      if (inList && depth === 4 && c === OPEN_BRACE) entry = {};
      if (field === ':targetList' && depth === 3) inList = true;
      field = '';
    } else if (c === CLOSE_PAREN || c === CLOSE_BRACE) {
      if (inList && depth === 4 && c === CLOSE_BRACE) {
        const origin = toOrigin(entry);
        if (origin) out.push(origin);
      }
      depth--;
      i++;
      if (inList && depth < 3) return out;
    } else if (depth === 2 || (inList && depth === 4)) {
      const end = tokenEnd(tree, i);
      const word = tree.slice(i, end);
      if (word.startsWith(':')) field = word;
      else {
        if (field === ':targetList') return out; // `<>`: no target list
        if (inList && field !== '') entry[field] = word;
        field = '';
      }
      i = end;
    } else i = nextBracket(tree, i); // words elsewhere (most of the text: the range table) are not read
  }
  return out;
}

function toOrigin(entry: Record<string, string>): TargetOrigin | null {
  const relid = entry[':resorigtbl'];
  if (relid === undefined || relid === '0' || entry[':resjunk'] === 'true') return null;
  return { resno: Number(entry[':resno']), relid, attnum: Number(entry[':resorigcol']) };
}
