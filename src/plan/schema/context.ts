import type { Snapshot } from '../../introspect/snapshot';
import type { SchemaMapping } from '../../spec/types';
import { ident } from '../../sql';

/**
 * What every schema builder needs besides the object itself: how names move from the source
 * to the target. Schemas may be renamed by the spec, and objects owned by an extension move
 * to the `extensions` schema where Supabase installs extensions.
 */
export interface NameMap {
  schema(name: string): string;
  /** Rewrites qualified references inside a definition printed by Postgres. */
  rewrite(definition: string): string;
}

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;

function unquoted(part: string): string {
  return part.startsWith('"') ? part.slice(1, -1).replace(/""/g, '"') : part;
}

/** Quotes only when Postgres would, to match how pg_get_*def prints names. */
function printIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : ident(name);
}

export function buildNameMap(snapshot: Snapshot, mapping: Pick<SchemaMapping, 'renameSchemas'>): NameMap {
  const renames = mapping.renameSchemas;
  const extensionMembers = new Set<string>();
  for (const ext of snapshot.extensions) for (const m of ext.members) extensionMembers.add(m);
  // Qualified names: `schema.name` where both parts may be quoted. String literals are skipped
  // so that text such as 'public.users' inside a comment or default stays as written.
  const pattern = new RegExp(String.raw`'(?:[^']|'')*'|(?<![\w$."])(${IDENT})\.(${IDENT})`, 'g');
  return {
    schema: (name) => renames[name] ?? name,
    rewrite(definition) {
      return definition.replace(pattern, (whole, s?: string, n?: string) => {
        if (s === undefined || n === undefined) return whole;
        const schema = unquoted(s);
        const name = unquoted(n);
        if (extensionMembers.has(`${schema}.${name}`)) return `extensions.${n}`;
        const renamed = renames[schema];
        return renamed === undefined ? whole : `${printIdent(renamed)}.${n}`;
      });
    },
  };
}
