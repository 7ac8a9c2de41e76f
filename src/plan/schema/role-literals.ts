import { ident } from '../../sql';
import { identName, quoteString, stringValue, type Token, tokenize } from './sql-lexer';

/**
 * Role names written as string literals in policy expressions, rewritten where security.roles
 * maps the source role onto a Supabase role: `pg_has_role('clerk', 'member')`,
 * `current_user = 'clerk'`, `'clerk'::regrole`. Only literals in a place that takes a role are
 * touched; the same text elsewhere (`status = 'clerk'`) is data and stays as it is.
 */
export function rewriteRoleLiterals(expr: string, roleOf: (role: string) => string): string {
  const toks = tokenize(expr);
  const marks = roleLiteralMarks(toks);
  if (marks.size === 0) return expr;
  return toks.map((t, k) => (marks.has(k) ? renamed(t, marks.get(k) === 'regrole', roleOf) : t.text)).join('');
}

type Mark = 'name' | 'regrole';

function renamed(t: Token, regrole: boolean, roleOf: (role: string) => string): string {
  const value = stringValue(t);
  if (value === null) return t.text;
  if (!regrole) {
    const to = roleOf(value);
    return to === value ? t.text : quoteString(to);
  }
  // regrole reads its input as an identifier: folded to lower case unless double-quoted.
  const quoted = /^".*"$/s.test(value);
  const name = quoted ? value.slice(1, -1).replace(/""/g, '"') : value.toLowerCase();
  const to = roleOf(name);
  if (to === name) return t.text;
  return quoteString(/^[a-z_][a-z0-9_$]*$/.test(to) ? to : ident(to));
}

/** pg_has_role([user,] role, privilege): every argument but the last names a role. */
const ALL_BUT_LAST = new Set(['pg_has_role']);
/** has_*_privilege([user,] object, ..., privilege): the user comes first in the longest form. */
const USER_FIRST: Record<string, number> = {
  has_any_column_privilege: 3,
  has_column_privilege: 4,
  has_database_privilege: 3,
  has_foreign_data_wrapper_privilege: 3,
  has_function_privilege: 3,
  has_language_privilege: 3,
  has_parameter_privilege: 3,
  has_schema_privilege: 3,
  has_sequence_privilege: 3,
  has_server_privilege: 3,
  has_table_privilege: 3,
  has_tablespace_privilege: 3,
  has_type_privilege: 3,
};
const ROLE_KEYWORDS = new Set(['current_user', 'session_user', 'current_role', 'user']);
const COMPARISONS = new Set(['=', '<>', '!=']);
/** Words that can stand before a bare parenthesis without calling anything. */
const NOT_CALLEES = new Set(['and', 'or', 'not', 'when', 'then', 'else', 'case', 'select', 'where', 'is', 'in']);

const significant = (t: Token | undefined) => t !== undefined && t.kind !== 'space' && t.kind !== 'comment';

function nextAt(toks: Token[], k: number): number {
  let j = k + 1;
  while (j < toks.length && !significant(toks[j])) j++;
  return j;
}

function prevAt(toks: Token[], k: number): number {
  let j = k - 1;
  while (j >= 0 && !significant(toks[j])) j--;
  return j;
}

/** The index of the bracket closing the one at `open` (or the end). */
function closing(toks: Token[], open: number): number {
  let depth = 0;
  for (let j = open; j < toks.length; j++) {
    if (toks[j].kind !== 'punct') continue;
    if (toks[j].text === '(' || toks[j].text === '[') depth++;
    else if (toks[j].text === ')' || toks[j].text === ']') {
      depth--;
      if (depth === 0) return j;
    }
  }
  return toks.length;
}

/** The first significant token of each top-level argument of the call whose `(` is at `open`. */
function argumentStarts(toks: Token[], open: number): number[] {
  const end = closing(toks, open);
  const starts = [nextAt(toks, open)];
  if (starts[0] >= end) return [];
  for (let j = open + 1; j < end; j++) {
    const t = toks[j];
    if (t.kind === 'punct' && (t.text === '(' || t.text === '[')) j = closing(toks, j);
    else if (t.kind === 'punct' && t.text === ',') starts.push(nextAt(toks, j));
  }
  return starts;
}

export function roleLiteralMarks(toks: Token[]): Map<number, Mark> {
  const marks = new Map<number, Mark>();
  const mark = (k: number) => {
    if (standsAlone(toks, k)) marks.set(k, 'name');
  };
  toks.forEach((t, k) => {
    if (t.kind === 'string') {
      const cast = nextAt(toks, k);
      if (toks[cast]?.text === '::' && isRegrole(toks, nextAt(toks, cast))) marks.set(k, 'regrole');
    }
    if (t.kind !== 'ident') return;
    const name = identName(t);
    const open = nextAt(toks, k);
    if (toks[open]?.text === '(') roleArguments(toks, name, open).forEach(mark);
    else if (ROLE_KEYWORDS.has(name) && toks[prevAt(toks, k)]?.text !== '.') comparedWith(toks, k).forEach(mark);
  });
  return marks;
}

/** A literal that is a whole operand (maybe cast), not a piece of `'a' || 'b'`. */
function standsAlone(toks: Token[], k: number): boolean {
  if (toks[k]?.kind !== 'string') return false;
  const before = toks[prevAt(toks, k)];
  const after = toks[skipCasts(toks, nextAt(toks, k))];
  const operatorBefore = before?.kind === 'op' && !COMPARISONS.has(before.text);
  const operatorAfter = after?.kind === 'op' && !COMPARISONS.has(after.text);
  return !operatorBefore && !operatorAfter;
}

function isRegrole(toks: Token[], k: number): boolean {
  const t = toks[k];
  if (t?.kind !== 'ident') return false;
  if (identName(t) === 'pg_catalog' && toks[nextAt(toks, k)]?.text === '.')
    return isRegrole(toks, nextAt(toks, nextAt(toks, k)));
  return identName(t) === 'regrole';
}

function roleArguments(toks: Token[], name: string, open: number): number[] {
  const args = argumentStarts(toks, open);
  if (ALL_BUT_LAST.has(name)) return args.slice(0, -1);
  return USER_FIRST[name] === args.length ? [args[0]] : [];
}

/** After a cast chain (`::name`, `::pg_catalog.text`) that starts at `k`, the next token. */
function skipCasts(toks: Token[], k: number): number {
  let j = k;
  while (toks[j]?.text === '::') {
    j = nextAt(toks, j);
    while (toks[nextAt(toks, j)]?.text === '.') j = nextAt(toks, nextAt(toks, j));
    j = nextAt(toks, j);
  }
  return j;
}

/** The string literals a role keyword is compared with, on either side of `=`, `<>`, IN or ANY. */
function comparedWith(toks: Token[], k: number): number[] {
  // `(CURRENT_USER)::text = 'clerk'::text` is how Postgres prints a cast keyword.
  // A function's parentheses (`upper(current_user)`) are not a wrapper: its result is no role name.
  const open = prevAt(toks, k);
  const callee = toks[prevAt(toks, open)];
  const called = callee?.kind === 'qident' || (callee?.kind === 'ident' && !NOT_CALLEES.has(identName(callee)));
  const wrapped = toks[open]?.text === '(' && !called && toks[nextAt(toks, k)]?.text === ')';
  const after = skipCasts(toks, nextAt(toks, wrapped ? nextAt(toks, k) : k));
  const before = prevAt(toks, wrapped ? prevAt(toks, k) : k);
  return [...rightSide(toks, after), ...leftSide(toks, before)];
}

function rightSide(toks: Token[], op: number): number[] {
  const t = toks[op];
  if (t === undefined) return [];
  const next = nextAt(toks, op);
  if (t.kind === 'ident' && identName(t) === 'not') return rightSide(toks, next);
  if (t.kind === 'ident' && identName(t) === 'in' && toks[next]?.text === '(') return listItems(toks, next);
  if (t.kind !== 'op' || !COMPARISONS.has(t.text)) return [];
  const operand = toks[next];
  if (operand?.kind === 'string') return [next];
  const quantified = operand?.kind === 'ident' && ['any', 'all', 'some'].includes(identName(operand));
  const open = nextAt(toks, next);
  if (!quantified || toks[open]?.text !== '(') return [];
  const array = nextAt(toks, open);
  const bracket = nextAt(toks, array);
  const isArray = toks[array]?.kind === 'ident' && identName(toks[array]) === 'array' && toks[bracket]?.text === '[';
  return isArray ? listItems(toks, bracket) : [];
}

function leftSide(toks: Token[], op: number): number[] {
  if (toks[op]?.kind !== 'op' || !COMPARISONS.has(toks[op].text)) return [];
  let j = prevAt(toks, op);
  // Step back over casts: `'x'::name =`.
  while (toks[j]?.kind === 'ident' || toks[j]?.kind === 'qident' || toks[j]?.text === '.') {
    const before = prevAt(toks, j);
    if (toks[j].text !== '.' && toks[before]?.text !== '::' && toks[before]?.text !== '.') break;
    j = toks[before]?.text === '::' ? prevAt(toks, before) : before;
  }
  return toks[j]?.kind === 'string' ? [j] : [];
}

/** The literals that are whole items of the list or array in the brackets at `open`. */
function listItems(toks: Token[], open: number): number[] {
  const end = closing(toks, open);
  const [first, last] = toks[open].text === '[' ? ['[', ']'] : ['(', ')'];
  const out: number[] = [];
  for (let j = open + 1; j < end; j++) {
    const t = toks[j];
    if (t.kind === 'punct' && (t.text === '(' || t.text === '[')) j = closing(toks, j);
    else if (t.kind === 'string') {
      const before = toks[prevAt(toks, j)]?.text;
      const after = toks[skipCasts(toks, nextAt(toks, j))]?.text;
      if ((before === first || before === ',') && (after === ',' || after === last)) out.push(j);
    }
  }
  return out;
}
