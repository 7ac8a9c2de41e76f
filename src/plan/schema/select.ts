import type { Snapshot, Table, View } from '../../introspect/snapshot';
import type { SchemaMapping } from '../../spec/types';

/** Tables Supabase provides on every project, which a Supabase-native source references. */
export const SUPABASE_TABLES: ReadonlySet<string> = new Set([
  'auth.users',
  'auth.identities',
  'storage.buckets',
  'storage.objects',
]);

/** `schema.table` patterns with `*` wildcards, as the spec writes them. */
export function matchesPattern(qualifiedName: string, pattern: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map(escape).join('.*')}$`);
  return re.test(qualifiedName);
}

function escape(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The part of the snapshot the spec selects: schemas and tables included and not excluded, and
 * the views, functions, triggers and policies that still have everything they read.
 */
export function selectObjects(snapshot: Snapshot, mapping: SchemaMapping): Snapshot {
  const schemaWanted = (s: string) =>
    (mapping.includeSchemas === null || mapping.includeSchemas.includes(s)) && !mapping.excludeSchemas.includes(s);
  const tableWanted = (t: Table) => {
    const q = `${t.schema}.${t.name}`;
    if (!schemaWanted(t.schema)) return false;
    if (mapping.includeTables !== null && !mapping.includeTables.some((p) => matchesPattern(q, p))) return false;
    return !mapping.excludeTables.some((p) => matchesPattern(q, p));
  };
  const tables = snapshot.tables.filter(tableWanted);
  const present = new Set(tables.map((t) => `${t.schema}.${t.name}`));
  const dropped = new Set(
    snapshot.tables.filter((t) => !present.has(`${t.schema}.${t.name}`)).map((t) => `${t.schema}.${t.name}`),
  );
  const views = keepViews(
    snapshot.views.filter((v) => schemaWanted(v.schema)),
    dropped,
  );
  for (const v of views) present.add(`${v.schema}.${v.name}`);
  const reachable = (deps: string[]) => deps.every((d) => !dropped.has(d));
  // Supabase's own tables are on every target: keys to them stay (unless the source's schema of
  // that name is the application's and is renamed).
  const onTarget = (ref: string) => SUPABASE_TABLES.has(ref) && !(ref.split('.')[0] in mapping.renameSchemas);
  return {
    ...snapshot,
    schemas: snapshot.schemas.filter((s) => schemaWanted(s.name)),
    enums: snapshot.enums.filter((e) => schemaWanted(e.schema)),
    domains: snapshot.domains.filter((d) => schemaWanted(d.schema)),
    composites: snapshot.composites.filter((c) => schemaWanted(c.schema)),
    sequences: snapshot.sequences.filter(
      (s) => schemaWanted(s.schema) && (s.ownedBy === null || present.has(ownerTable(s.ownedBy))),
    ),
    tables: tables.map((t) => ({
      ...t,
      constraints: t.constraints.filter(
        (c) => c.kind !== 'f' || c.refTable === null || present.has(c.refTable) || onTarget(c.refTable),
      ),
    })),
    views,
    functions: snapshot.functions.filter((f) => schemaWanted(f.schema) && reachable(f.dependsOn)),
    triggers: snapshot.triggers.filter((t) => present.has(`${t.schema}.${t.table}`)),
    policies: snapshot.policies.filter((p) => present.has(`${p.schema}.${p.table}`)),
  };
}

function ownerTable(ownedBy: string): string {
  return ownedBy.split('.').slice(0, 2).join('.');
}

/** Views whose dependencies were all kept, repeated until nothing more drops out. */
function keepViews(views: View[], dropped: Set<string>): View[] {
  let kept = views;
  for (;;) {
    const next = kept.filter((v) => v.dependsOn.every((d) => !dropped.has(d)));
    if (next.length === kept.length) return next;
    for (const v of kept) if (!next.includes(v)) dropped.add(`${v.schema}.${v.name}`);
    kept = next;
  }
}
