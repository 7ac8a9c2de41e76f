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

/** Tokens of a pg_node_tree: `(`, `)`, `{`, `}` alone, quoted strings whole, anything else up to a space. */
function* tokens(text: string): Generator<string> {
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    if (ch === ' ' || ch === '\n' || ch === '\t') {
      i++;
    } else if (ch === '(' || ch === ')' || ch === '{' || ch === '}') {
      i++;
      yield ch;
    } else {
      const start = i;
      const quoted = ch === '"';
      i++;
      while (i < n) {
        const c = text[i];
        if (c === '\\') i += 2;
        else if (quoted ? c === '"' : c === ' ' || c === '(' || c === ')' || c === '{' || c === '}') break;
        else i++;
      }
      if (quoted) i++;
      yield text.slice(start, i);
    }
  }
}

/**
 * The target entries of the first query in the tree that record an origin (columns computed by an
 * expression have `resorigtbl 0` and are left out; so are junk entries).
 */
export function targetOrigins(tree: string): TargetOrigin[] {
  const out: TargetOrigin[] = [];
  let depth = 0;
  let listDepth = -1;
  let entryDepth = -1;
  let field = '';
  let entry: Record<string, string> = {};
  for (const t of tokens(tree)) {
    if (t === '(' || t === '{') {
      depth++;
      if (t === '{' && listDepth >= 0 && depth === listDepth + 1) {
        entryDepth = depth;
        entry = {};
      }
    } else if (t === ')' || t === '}') {
      if (t === '}' && depth === entryDepth) {
        const origin = toOrigin(entry);
        if (origin) out.push(origin);
        entryDepth = -1;
      }
      depth--;
      if (depth < listDepth) return out;
    } else if (t.startsWith(':')) {
      field = t;
      continue;
    } else if (field === ':targetList' && depth === 2 && listDepth < 0) {
      // `<>`: an empty target list
      return out;
    } else if (depth === entryDepth && field !== '') {
      entry[field] = t;
    }
    if (field === ':targetList' && depth === 3 && listDepth < 0 && t === '(') listDepth = depth;
    field = '';
  }
  return out;
}

function toOrigin(entry: Record<string, string>): TargetOrigin | null {
  const relid = entry[':resorigtbl'];
  if (relid === undefined || relid === '0' || entry[':resjunk'] === 'true') return null;
  return { resno: Number(entry[':resno']), relid, attnum: Number(entry[':resorigcol']) };
}
