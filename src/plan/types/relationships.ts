import type { Snapshot, Table, View } from '../../introspect/snapshot';

export interface Relationship {
  foreignKeyName: string;
  schema: string;
  relation: string;
  columns: string[];
  isOneToOne: boolean;
  referencedSchema: string;
  referencedRelation: string;
  referencedColumns: string[];
}

const collator = new Intl.Collator('en');

/**
 * Foreign keys between tables, and the ones PostgREST derives for views exposing their columns.
 * Like the generator, only keys declared in the described schemas count, and only views there
 * derive any (a view over another schema's table keeps its keys only if that schema is listed).
 */
export function relationships(
  snap: Snapshot,
  schemaOf: (s: string) => string,
  described?: ReadonlySet<string>,
): Relationship[] {
  const inScope = (o: { schema: string }) => described === undefined || described.has(schemaOf(o.schema));
  const tableRels = snap.tables.filter(inScope).flatMap(foreignKeys);
  const lineage = viewLineage(snap.views);
  const views = snap.views.filter(inScope);
  const exposed = exposedColumns(views, lineage);
  const derived = tableRels.flatMap((r) => throughViews(r, views, exposed));
  const renamed = [...tableRels, ...derived].map((r) => ({
    ...r,
    schema: schemaOf(r.schema),
    referencedSchema: schemaOf(r.referencedSchema),
  }));
  return sortedRelationships(renamed);
}

/**
 * By key name, then referenced relation, then referenced columns (as JSON), in the collator's
 * order. A large schema has tens of thousands of relationships: each text is ranked once and the
 * sort compares ranks, the same order as comparing the texts (the sort is stable either way).
 */
function sortedRelationships(rels: Relationship[]): Relationship[] {
  const columns = rels.map((r) => JSON.stringify(r.referencedColumns));
  const rank = collationRanks([
    ...rels.map((r) => r.foreignKeyName),
    ...rels.map((r) => r.referencedRelation),
    ...columns,
  ]);
  const at = (text: string) => rank.get(text) as number;
  const keyed = rels.map((r, i) => ({ r, keys: [at(r.foreignKeyName), at(r.referencedRelation), at(columns[i])] }));
  keyed.sort((a, b) => a.keys[0] - b.keys[0] || a.keys[1] - b.keys[1] || a.keys[2] - b.keys[2]);
  return keyed.map((k) => k.r);
}

/** Each distinct text's place in the collator's order; texts the collator finds equal share one. */
function collationRanks(texts: string[]): Map<string, number> {
  const sorted = [...new Set(texts)].sort((a, b) => collator.compare(a, b));
  const rank = new Map<string, number>();
  sorted.forEach((text, i) => {
    const tie = i > 0 && collator.compare(sorted[i - 1], text) === 0;
    rank.set(text, tie ? (rank.get(sorted[i - 1]) as number) : i);
  });
  return rank;
}

function foreignKeys(t: Table): Relationship[] {
  const unique = t.constraints
    .filter((c) => c.kind === 'p' || c.kind === 'u')
    .map((c) => [...c.columns].sort().join(','));
  return t.constraints
    .filter((c) => c.kind === 'f' && c.refTable !== null)
    .map((c) => {
      const [refSchema, ...rest] = (c.refTable as string).split('.');
      return {
        foreignKeyName: c.name,
        schema: t.schema,
        relation: t.name,
        columns: c.columns,
        isOneToOne: unique.includes([...c.columns].sort().join(',')),
        referencedSchema: refSchema,
        referencedRelation: rest.join('.'),
        referencedColumns: c.refColumns,
      };
    });
}

type Lineage = Map<string, Map<string, string>>;

/**
 * view `schema.name` -> view column -> base table `schema.name.column`, through views of views, from
 * the origins Postgres recorded in each view's rewrite rule (a snapshot without them has none).
 */
function viewLineage(views: View[]): Lineage {
  const byName = new Map(views.map((v) => [`${v.schema}.${v.name}`, v]));
  const resolve = (rel: string, col: string, seen: Set<string>): string | null => {
    const view = byName.get(rel);
    if (!view) return `${rel}.${col}`;
    if (seen.has(rel)) return null;
    const src = view.origins?.[col];
    return src ? resolve(`${src[0]}.${src[1]}`, src[2], new Set([...seen, rel])) : null;
  };
  const out: Lineage = new Map();
  for (const v of views) {
    const cols = new Map<string, string>();
    for (const c of v.columns) {
      const base = resolve(`${v.schema}.${v.name}`, c.name, new Set());
      if (base) cols.set(c.name, base);
    }
    out.set(`${v.schema}.${v.name}`, cols);
  }
  return out;
}

/** Base column `schema.table.column` -> view -> the view's columns showing it, in column order. */
type Exposed = Map<string, Map<View, string[]>>;

/** Which view columns show which base columns, read once for all foreign keys. */
function exposedColumns(views: View[], lineage: Lineage): Exposed {
  const out: Exposed = new Map();
  for (const v of views) {
    const cols = lineage.get(`${v.schema}.${v.name}`) as Map<string, string>;
    for (const c of v.columns) {
      const base = cols.get(c.name);
      if (base === undefined) continue;
      const byView = out.get(base) ?? new Map<View, string[]>();
      out.set(base, byView);
      byView.set(v, [...(byView.get(v) ?? []), c.name]);
    }
  }
  return out;
}

/** For each view (in order): every way of picking, per key column, a view column that shows it. */
function exposures(
  views: View[],
  exposed: Exposed,
  table: string,
  keyColumns: string[],
): { view: View; columns: string[] }[] {
  if (keyColumns.length === 0) return views.map((view) => ({ view, columns: [] }));
  const showing = keyColumns.map((k) => exposed.get(`${table}.${k}`));
  return [...(showing[0]?.keys() ?? [])].flatMap((view) => {
    const choices = showing.map((byView) => byView?.get(view) ?? []);
    if (choices.some((c) => c.length === 0)) return [];
    const product = choices.reduce<string[][]>((acc, list) => acc.flatMap((p) => list.map((c) => [...p, c])), [[]]);
    return product.map((columns) => ({ view, columns }));
  });
}

function throughViews(r: Relationship, views: View[], exposed: Exposed): Relationship[] {
  const from = exposures(views, exposed, `${r.schema}.${r.relation}`, r.columns);
  const to = exposures(views, exposed, `${r.referencedSchema}.${r.referencedRelation}`, r.referencedColumns);
  const source = (f: { view: View; columns: string[] }) => ({
    schema: f.view.schema,
    relation: f.view.name,
    columns: f.columns,
  });
  const target = (t: { view: View; columns: string[] }) => ({
    referencedSchema: t.view.schema,
    referencedRelation: t.view.name,
    referencedColumns: t.columns,
  });
  return [
    ...from.map((f) => ({ ...r, ...source(f) })),
    ...to.map((t) => ({ ...r, ...target(t) })),
    ...from.flatMap((f) => to.map((t) => ({ ...r, ...source(f), ...target(t) }))),
  ];
}
