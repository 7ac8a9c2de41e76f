import type { Cast, ForeignServer, Operator, Routine, Snapshot } from '../introspect/snapshot';
import { AVAILABLE_EXTENSIONS, UNTRUSTED_LANGUAGES } from './risks/supabase';

/** An object of the source that a Supabase project cannot hold: named in the spec, never planned. */
export interface UnsupportedObject {
  /** How the spec's `schema.skip_objects` names it, e.g. `function public.f(integer)`. */
  object: string;
  reason: string;
}

const ROUTINE_WORD: Record<Routine['kind'], string> = {
  f: 'function',
  p: 'procedure',
  a: 'aggregate',
  w: 'window function',
};
const SUPERUSER = 'needs a superuser, and migrations on Supabase run as postgres, which is not one';

export const routineObject = (r: Routine): string => `${ROUTINE_WORD[r.kind]} ${r.schema}.${r.name}(${r.identityArgs})`;
export const operatorObject = (o: Operator): string =>
  `operator ${o.schema}.${o.name}(${o.left ?? 'none'}, ${o.right ?? 'none'})`;
export const castObject = (c: Cast): string => `cast (${c.source} as ${c.target})`;
export const serverObject = (s: ForeignServer): string => `server ${s.name}`;
export const foreignTableObject = (t: { schema: string; name: string }): string =>
  `foreign table ${t.schema}.${t.name}`;
export const publicationObject = (p: { name: string }): string => `publication ${p.name}`;

function routineReason(r: Routine): string | null {
  if (r.language === 'c') {
    const library = /\bAS\s+'([^']*)'/i.exec(r.definition)?.[1] ?? 'unknown';
    return `C function from library ${library}: Supabase does not ship that library, and creating a C function ${SUPERUSER}`;
  }
  if (r.language === 'internal') return `LANGUAGE internal: creating it ${SUPERUSER}`;
  if (UNTRUSTED_LANGUAGES.has(r.language))
    return `untrusted language ${r.language}: Supabase does not offer it, and creating it ${SUPERUSER}`;
  return null;
}

/**
 * Every object of the snapshot that Supabase cannot hold, with why; what uses one of them
 * (an aggregate over its function, an operator, a cast, a foreign table on its server) goes too.
 * Pure: analyze lists these, init writes them into the spec, plan leaves them out and counts them.
 */
export function unsupportedObjects(s: Snapshot): UnsupportedObject[] {
  const out: UnsupportedObject[] = [];
  const skippedRoutines = new Map<string, string>();
  for (const r of s.functions.filter((f) => f.kind !== 'a')) {
    const reason = routineReason(r);
    if (reason === null) continue;
    out.push({ object: routineObject(r), reason });
    skippedRoutines.set(`${r.schema}.${r.name}(${r.identityArgs})`, routineObject(r));
  }
  const uses = (keys: (string | null)[]) =>
    keys.map((k) => (k === null ? undefined : skippedRoutines.get(k))).find((o) => o !== undefined);
  for (const r of s.functions.filter((f) => f.kind === 'a')) {
    const used = uses(r.uses ?? []);
    if (used) out.push({ object: routineObject(r), reason: `uses ${used}, which is skipped` });
  }
  for (const o of s.operators ?? []) {
    const used = uses([o.function]);
    if (used) out.push({ object: operatorObject(o), reason: `uses ${used}, which is skipped` });
  }
  for (const c of s.casts ?? []) {
    const used = uses([c.function]);
    if (used) out.push({ object: castObject(c), reason: `uses ${used}, which is skipped` });
  }
  out.push(...foreignUnsupported(s), ...catalogOnlyUnsupported(s));
  for (const p of s.publications ?? []) {
    if (p.allTables || p.schemas.length > 0) {
      const what = p.allTables ? 'ALL TABLES' : 'TABLES IN SCHEMA';
      out.push({
        object: publicationObject(p),
        reason: `FOR ${what} ${SUPERUSER}; publish its tables by name instead`,
      });
    }
  }
  const unique = [...new Map(out.map((u) => [u.object, u])).values()];
  return unique.sort((a, b) => (a.object < b.object ? -1 : a.object > b.object ? 1 : 0));
}

function foreignUnsupported(s: Snapshot): UnsupportedObject[] {
  const out: UnsupportedObject[] = [];
  const skippedServers = new Set<string>();
  for (const server of s.foreignServers ?? []) {
    for (const role of server.userMappings) {
      out.push({
        object: `user mapping for ${role} server ${server.name}`,
        reason: 'its options hold credentials, which never go into generated files: create it on the target by hand',
      });
    }
    if (server.wrapperExtension !== null && AVAILABLE_EXTENSIONS.has(server.wrapperExtension)) continue;
    skippedServers.add(server.name);
    const by = server.wrapperExtension === null ? 'a wrapper made by hand' : `extension ${server.wrapperExtension}`;
    out.push({
      object: serverObject(server),
      reason: `foreign data wrapper ${server.wrapper} (${by}) is not one Supabase offers (postgres_fdw, wrappers)`,
    });
  }
  for (const t of s.foreignTables ?? []) {
    if (skippedServers.has(t.server))
      out.push({ object: foreignTableObject(t), reason: `its server ${t.server} is skipped` });
  }
  return out;
}

const CATALOG_ONLY_REASON: Record<string, string> = {
  'operator-class': `CREATE OPERATOR CLASS ${SUPERUSER}`,
  'operator-family': `CREATE OPERATOR FAMILY ${SUPERUSER}`,
  'foreign-data-wrapper': `CREATE FOREIGN DATA WRAPPER ${SUPERUSER}; Supabase offers postgres_fdw and the wrappers extension`,
  'base-type': `a base type's input and output functions are C code, and creating it ${SUPERUSER}`,
};

function catalogOnlyUnsupported(s: Snapshot): UnsupportedObject[] {
  return (s.catalogOnly ?? []).map((o) => ({
    object: `${o.kind.replace(/-/g, ' ')} ${o.name}`,
    reason:
      o.kind === 'base-type' && o.detail === 'shell'
        ? `shell type: a placeholder for a base type, whose functions are C code`
        : CATALOG_ONLY_REASON[o.kind],
  }));
}
