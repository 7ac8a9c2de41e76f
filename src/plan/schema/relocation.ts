import type { Extension, Snapshot } from '../../introspect/snapshot';
import { mentionsAny, schemaPrefix } from './mentions';
import { identName, isRegLiteral, stringValue, type Token, tokenize } from './sql-lexer';

/**
 * Where extensions go on the target. Supabase keeps them in `extensions`; an extension moves
 * there when every reference to its objects can be rewritten: qualified names, reg* literals,
 * operator classes, function bodies. A reference inside an ordinary string (dynamic SQL, say)
 * cannot be proven to follow, so that extension stays in the source's schema and is reported.
 */
export interface Relocation {
  /** Extension name -> schema it is created in on the target. */
  schemaOf: Map<string, string>;
  kept: { extension: string; schema: string; reason: string }[];
  /** `schema.member` of a moved extension -> `extensions`. */
  moves: Map<string, string>;
  /** Source schemas that moved extensions left: pinned search paths naming them get `extensions`. */
  pathSchemas: Set<string>;
}

const STAYS = new Set(['extensions', 'pg_catalog']);

export function relocationOf(snapshot: Snapshot): Relocation {
  const schemaOf = new Map<string, string>();
  const kept: Relocation['kept'] = [];
  const moves = new Map<string, string>();
  const pathSchemas = new Set<string>();
  const definitions = definitionsOf(snapshot);
  for (const ext of snapshot.extensions) {
    if (STAYS.has(ext.schema)) {
      schemaOf.set(ext.name, ext.schema);
      continue;
    }
    const found = firstStringReference(definitions, ext.members);
    if (found) {
      schemaOf.set(ext.name, ext.schema);
      kept.push({
        extension: ext.name,
        schema: ext.schema,
        reason: `${found.owner()} names ${found.hit} inside a string, which a rewrite cannot prove to follow`,
      });
      continue;
    }
    schemaOf.set(ext.name, 'extensions');
    for (const m of ext.members) moves.set(m, 'extensions');
    pathSchemas.add(ext.schema);
  }
  return { schemaOf, kept, moves, pathSchemas };
}

/** A definition, and the object it belongs to (named only for the report, so only when needed). */
type Definition = [owner: () => string, sql: string];

/** Every definition that may name an extension's objects, with the object it belongs to. */
function definitionsOf(s: Snapshot): Definition[] {
  const out: Definition[] = [];
  const q = (o: { schema: string; name: string }) => `${o.schema}.${o.name}`;
  for (const f of s.functions) out.push([() => `function ${q(f)}(${f.identityArgs})`, f.definition]);
  for (const v of s.views) out.push([() => `view ${q(v)}`, v.definition]);
  for (const t of s.tables) {
    for (const c of t.columns) out.push([() => `column ${q(t)}.${c.name}`, `${c.default ?? ''} ${c.generated ?? ''}`]);
    for (const c of t.constraints) out.push([() => `constraint ${q(t)}.${c.name}`, c.definition]);
    for (const i of t.indexes) out.push([() => `index ${t.schema}.${i.name}`, i.definition]);
  }
  for (const d of s.domains)
    out.push([() => `domain ${q(d)}`, [d.default ?? '', ...d.checks.map((c) => c.definition)].join(' ')]);
  for (const t of s.triggers) out.push([() => `trigger ${t.schema}.${t.table}.${t.name}`, t.definition]);
  for (const p of s.policies)
    out.push([() => `policy ${p.schema}.${p.table}.${p.name}`, `${p.using ?? ''} ${p.withCheck ?? ''}`]);
  return out;
}

/**
 * The first definition naming one of the members inside a string, and the member. A definition
 * that does not even mention a member's schema is not tokenized (most of a large schema's).
 */
function firstStringReference(
  definitions: Definition[],
  memberList: string[],
): { owner: () => string; hit: string } | null {
  const members = new Set(memberList);
  const mayName = mentionsAny(memberList.map(schemaPrefix));
  for (const [owner, sql] of definitions) {
    const hit = mayName(sql) ? stringReference(sql, members) : null;
    if (hit !== null) return { owner, hit };
  }
  return null;
}

/** The first `schema.member` written inside an ordinary string (not a reg* literal), or null. */
function stringReference(sql: string, members: Set<string>): string | null {
  for (const toks of stringContents(sql)) {
    const hit = qualifiedMember(toks, members);
    if (hit) return hit;
  }
  return null;
}

// The plan asks this of the same definitions once per extension and once per name map (several per
// plan): tokenizing each definition once keeps a large schema's plan from lexing it a dozen times.
const contentsOf = new Map<string, Token[][]>();

/** The tokens inside each ordinary string of a definition, dollar-quoted bodies searched too. */
function stringContents(sql: string): Token[][] {
  // Every string token opens with a quote and every dollar-quoted body with `$`: a definition
  // without either (half of a large schema's text) has none, and is not tokenized.
  if (!sql.includes("'") && !sql.includes('$')) return [];
  const known = contentsOf.get(sql);
  if (known) return known;
  const out: Token[][] = [];
  const toks = tokenize(sql);
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k];
    if (t.kind === 'dollar') {
      const tag = /^\$[^$]*\$/.exec(t.text)?.[0] ?? '$$';
      out.push(...stringContents(t.text.slice(tag.length, t.text.length - tag.length)));
    } else if (t.kind === 'string' && !isRegLiteral(toks, k)) {
      out.push(tokenize(stringValue(t) ?? t.text));
    }
  }
  if (contentsOf.size > 50_000) contentsOf.clear();
  contentsOf.set(sql, out);
  return out;
}

function qualifiedMember(toks: Token[], members: Set<string>): string | null {
  for (let k = 0; k + 2 < toks.length; k++) {
    const [a, dot, b] = [toks[k], toks[k + 1], toks[k + 2]];
    if (
      (a.kind === 'ident' || a.kind === 'qident') &&
      dot.text === '.' &&
      (b.kind === 'ident' || b.kind === 'qident')
    ) {
      const key = `${identName(a)}.${identName(b)}`;
      if (members.has(key)) return key;
    }
  }
  return null;
}

export type { Extension };
