import type { Snapshot } from '../../introspect/snapshot';
import type { SchemaMapping } from '../../spec/types';
import { ident } from '../../sql';
import { mentionsAny, schemaPrefix } from './mentions';
import { relocationOf, type Relocation } from './relocation';
import { identName, isRegLiteral, quoteString, stringValue, type Token, tokenize } from './sql-lexer';

/**
 * What every schema builder needs besides the object itself: how names move from the source
 * to the target. Schemas may be renamed by the spec, and objects owned by an extension move
 * to the `extensions` schema where Supabase installs extensions.
 */
export interface NameMap {
  schema(name: string): string;
  /** Rewrites qualified references inside a definition printed by Postgres. */
  rewrite(definition: string): string;
  /** Where each extension is created, and those kept where the source had them (with why). */
  relocation: Relocation;
}

/** Quotes only when Postgres would, to match how pg_get_*def prints names. */
function printIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : ident(name);
}

const isName = (t: Token | undefined) => t !== undefined && (t.kind === 'ident' || t.kind === 'qident');

export function buildNameMap(snapshot: Snapshot, mapping: Pick<SchemaMapping, 'renameSchemas'>): NameMap {
  const renames = mapping.renameSchemas;
  const relocation = relocationOf(snapshot);
  const schemaOf = (schema: string, name: string): string | null => {
    const moved = relocation.moves.get(`${schema}.${name}`);
    if (moved !== undefined) return moved;
    return renames[schema] ?? null;
  };
  // Only a renamed schema, one an extension leaves, or a pinned search_path can change a definition.
  const mayChange = mentionsAny([
    ...Object.keys(renames),
    ...[...relocation.moves.keys()].map(schemaPrefix),
    'search_path',
  ]);
  const rewrite = (sql: string): string =>
    mayChange(sql) ? rewriteSql(sql, schemaOf, (s) => renames[s] ?? s, relocation.pathSchemas) : sql;
  return { schema: (name) => renames[name] ?? name, rewrite, relocation };
}

/**
 * Token by token: `schema.name` (also `schema.<operator>`) whose object moves; reg* literals
 * such as 'public.unaccent'::regdictionary; function bodies in dollar quotes; and a pinned
 * `SET search_path` that named the schema an extension left gets `extensions` too.
 */
function rewriteSql(
  sql: string,
  schemaOf: (s: string, n: string) => string | null,
  rename: (s: string) => string,
  pathSchemas: Set<string>,
): string {
  const toks = tokenize(sql);
  const out: string[] = [];
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k];
    const after = toks[k + 2];
    if (
      isName(t) &&
      toks[k + 1]?.text === '.' &&
      toks[k - 1]?.text !== '.' &&
      (isName(after) || after?.kind === 'op')
    ) {
      const moved = schemaOf(identName(t), after.kind === 'op' ? after.text : identName(after));
      out.push(moved === null ? t.text : printIdent(moved));
    } else if (t.kind === 'string' && isRegLiteral(toks, k)) {
      const value = stringValue(t);
      out.push(value === null ? t.text : quoteString(rewriteSql(value, schemaOf, rename, pathSchemas)));
    } else if (t.kind === 'dollar') {
      const tag = /^\$[^$]*\$/.exec(t.text)?.[0] ?? '$$';
      out.push(
        `${tag}${rewriteSql(t.text.slice(tag.length, t.text.length - tag.length), schemaOf, rename, pathSchemas)}${tag}`,
      );
    } else if (
      t.kind === 'ident' &&
      t.text.toLowerCase() === 'search_path' &&
      toks[k - 2]?.text.toLowerCase() === 'set'
    ) {
      const end = searchPathEnd(toks, k);
      out.push(searchPath(toks.slice(k, end), rename, pathSchemas));
      k = end - 1;
    } else out.push(t.text);
  }
  return out.join('');
}

/** `search_path TO 'a', 'b'` runs to the end of its line (how pg_get_functiondef prints it). */
function searchPathEnd(toks: Token[], k: number): number {
  let j = k + 1;
  while (j < toks.length && !(toks[j].kind === 'space' && toks[j].text.includes('\n')) && toks[j].text !== ';') j++;
  return j;
}

function searchPath(toks: Token[], rename: (s: string) => string, pathSchemas: Set<string>): string {
  const names: string[] = [];
  const text = toks
    .map((t) => {
      if (
        t.kind === 'string' ||
        t.kind === 'qident' ||
        (t.kind === 'ident' && !['to', 'search_path'].includes(t.text.toLowerCase()))
      ) {
        const name = t.kind === 'string' ? (stringValue(t) ?? t.text) : identName(t);
        names.push(name);
        const renamed = rename(name);
        if (renamed === name) return t.text;
        return t.kind === 'string' ? quoteString(renamed) : printIdent(renamed);
      }
      return t.text;
    })
    .join('');
  const quoted = toks.some((t) => t.kind === 'string');
  const needs = names.some((n) => pathSchemas.has(n)) && !names.includes('extensions');
  return needs ? `${text.replace(/\s+$/, '')}, ${quoted ? "'extensions'" : 'extensions'}` : text;
}
