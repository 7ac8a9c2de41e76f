/**
 * Splits SQL into tokens by the lexical rules of Postgres's scanner (scan.l): quoted and plain
 * identifiers, the string forms ('', E'', U&'', $tag$), comments (nested), operators. Rewriting
 * names token by token keeps everything else byte for byte, and never mistakes a name inside a
 * string or comment for a reference.
 *
 * libpg-query (Postgres's own parser compiled to WebAssembly) only loads asynchronously, and the
 * planners are synchronous and pure, so the scanner rules are followed here instead.
 */
export type TokenKind =
  | 'ident'
  | 'qident'
  | 'string'
  | 'dollar'
  | 'op'
  | 'punct'
  | 'space'
  | 'comment'
  | 'number'
  | 'param';

export interface Token {
  kind: TokenKind;
  text: string;
}

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const OP_CHARS = '+-*/<>=~!@#%^&|`?';
const PUNCT = '(),;[]:.';

// Runs of one kind of character, matched where the scan stands (sticky): one regular expression
// call per token rather than one per character.
const SPACES = /\s+/y;
const IDENT_CHARS = /[A-Za-z0-9_$\u0080-\uffff]+/y;
const NUMBER_CHARS = /[0-9.eE_xXa-fA-F]+/y;
const DIGITS = /[0-9]*/y;
const OPERATOR_CHARS = /[+\-*/<>=~!@#%^&|`?]+/y;

/** End of the run of `chars` that starts at `from` (`from` itself when there is none). */
function runEnd(sql: string, from: number, chars: RegExp): number {
  chars.lastIndex = from;
  return chars.test(sql) ? chars.lastIndex : from;
}

export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, end: number) => {
    out.push({ kind, text: sql.slice(i, end) });
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i];
    const next = sql[i + 1] ?? '';
    if (/\s/.test(c)) push('space', runEnd(sql, i, SPACES));
    else if (c === '-' && next === '-') push('comment', lineEnd(sql, i));
    else if (c === '/' && next === '*') push('comment', blockCommentEnd(sql, i));
    else if (c === "'") push('string', quotedEnd(sql, i, "'", false));
    else if ((c === 'E' || c === 'e') && next === "'") push('string', quotedEnd(sql, i + 1, "'", true));
    else if ((c === 'U' || c === 'u') && next === '&' && (sql[i + 2] === "'" || sql[i + 2] === '"')) {
      push(sql[i + 2] === '"' ? 'qident' : 'string', quotedEnd(sql, i + 2, sql[i + 2], false));
    } else if (/[NnBbXx]/.test(c) && next === "'") push('string', quotedEnd(sql, i + 1, "'", false));
    else if (c === '"') push('qident', quotedEnd(sql, i, '"', false));
    else if (c === '$' && /[0-9]/.test(next)) push('param', runEnd(sql, i + 1, DIGITS));
    else if (c === '$') {
      const tag = dollarTag(sql, i);
      if (tag === null) push('op', i + 1);
      else {
        const close = sql.indexOf(tag, i + tag.length);
        push('dollar', close < 0 ? sql.length : close + tag.length);
      }
    } else if (IDENT_START.test(c)) push('ident', runEnd(sql, i, IDENT_CHARS));
    else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(next))) push('number', runEnd(sql, i, NUMBER_CHARS));
    else if (c === ':' && next === ':') push('punct', i + 2);
    else if (PUNCT.includes(c)) push('punct', i + 1);
    else if (OP_CHARS.includes(c)) push('op', runEnd(sql, i, OPERATOR_CHARS));
    else push('punct', i + 1);
  }
  return out;
}

function lineEnd(sql: string, from: number): number {
  const nl = sql.indexOf('\n', from);
  return nl < 0 ? sql.length : nl;
}

function blockCommentEnd(sql: string, from: number): number {
  let depth = 0;
  for (let j = from; j < sql.length - 1; j++) {
    if (sql[j] === '/' && sql[j + 1] === '*') {
      depth++;
      j++;
    } else if (sql[j] === '*' && sql[j + 1] === '/') {
      depth--;
      j++;
      if (depth === 0) return j + 1;
    }
  }
  return sql.length;
}

/** End of a quoted token opened at `from`; a doubled quote (and in E'' a backslash) escapes. */
function quotedEnd(sql: string, from: number, quote: string, backslash: boolean): number {
  for (let j = from + 1; j < sql.length; j++) {
    if (backslash && sql[j] === '\\') j++;
    else if (sql[j] === quote) {
      if (sql[j + 1] === quote) j++;
      else return j + 1;
    }
  }
  return sql.length;
}

function dollarTag(sql: string, from: number): string | null {
  const m = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(sql.slice(from, from + 80));
  return m ? m[0] : null;
}

/** The name a plain or quoted identifier token stands for (plain ones fold to lower case). */
export function identName(t: Token): string {
  if (t.kind === 'qident') return t.text.slice(1, -1).replace(/""/g, '"');
  return t.text.toLowerCase();
}

/** The value of a plain '...' string token; null for other string forms. */
export function stringValue(t: Token): string | null {
  if (t.kind !== 'string' || !t.text.startsWith("'")) return null;
  return t.text.slice(1, -1).replace(/''/g, "'");
}

export const quoteString = (value: string) => `'${value.replace(/'/g, "''")}'`;

const REG_TYPES = new Set([
  'regclass',
  'regproc',
  'regprocedure',
  'regtype',
  'regconfig',
  'regdictionary',
  'regoper',
  'regoperator',
  'regnamespace',
  'regcollation',
]);
const isName = (t: Token | undefined): t is Token => t !== undefined && (t.kind === 'ident' || t.kind === 'qident');

/** A string followed by `::regdictionary` (or another reg* type, possibly pg_catalog-qualified). */
export function isRegLiteral(toks: Token[], k: number): boolean {
  if (toks[k + 1]?.text !== '::') return false;
  const first = toks[k + 2];
  if (!isName(first)) return false;
  const type = identName(first) === 'pg_catalog' && toks[k + 3]?.text === '.' ? toks[k + 4] : first;
  return isName(type) && REG_TYPES.has(identName(type));
}
