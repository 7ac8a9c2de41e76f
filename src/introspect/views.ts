import type { Grant, Index, View } from './snapshot';
import { commentJoin, notExtensionMember, rowsOf, sortByKeys, sortedUnique, type CatalogScope } from './catalog';
import type { AttributeRow } from './columns';
import type { ViewFacts } from './view-catalog';

interface ViewRow {
  relid: string;
  schema: string;
  name: string;
  materialized: boolean;
  definition: string;
  options: string[] | null;
  depends_on: string[];
  owner: string;
  comment: string | null;
}

export interface ViewParts {
  attributes: Map<string, AttributeRow[]>;
  indexes: Map<string, Index[]>;
  grants: Map<string, Grant[]>;
  facts?: Map<string, ViewFacts>;
}

/** Views and materialized views; dependencies come from the rewrite rule that defines each one. */
export async function readViews(scope: CatalogScope, parts: ViewParts): Promise<View[]> {
  const rows = await rowsOf<ViewRow>(
    scope,
    `
    select c.oid::text as relid, n.nspname::text as schema, c.relname::text as name, c.relkind = 'm' as materialized,
      pg_catalog.pg_get_viewdef(c.oid, true) as definition, c.reloptions::text[] as options,
      array(select distinct dn.nspname || '.' || dc.relname
        from pg_catalog.pg_rewrite rw
          join pg_catalog.pg_depend d on d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass and d.objid = rw.oid
            and d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass and d.refobjid <> c.oid
          join pg_catalog.pg_class dc on dc.oid = d.refobjid
          join pg_catalog.pg_namespace dn on dn.oid = dc.relnamespace
        where rw.ev_class = c.oid and dc.relkind in ('r', 'p', 'v', 'm', 'f') order by 1) as depends_on,
      pg_catalog.pg_get_userbyid(c.relowner)::text as owner,
      ds.description as comment
    from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      ${commentJoin('ds', 'pg_class', 'c.oid')}
    where c.relkind in ('v', 'm') and n.oid = any($1::oid[]) and ${notExtensionMember('pg_class', 'c.oid')}
    order by n.nspname collate "C", c.relname collate "C"`,
  );
  return sortByKeys(rows, (r) => [r.schema, r.name]).map((r) => toView(r, parts));
}

function toView(r: ViewRow, parts: ViewParts): View {
  return {
    schema: r.schema,
    name: r.name,
    materialized: r.materialized,
    definition: r.definition,
    columns: (parts.attributes.get(r.relid) ?? []).map((a) => ({ name: a.name, type: a.type, notNull: a.not_null })),
    options: sortedUnique(r.options ?? []),
    dependsOn: sortedUnique(r.depends_on),
    indexes: parts.indexes.get(r.relid) ?? [],
    owner: r.owner,
    comment: r.comment,
    grants: parts.grants.get(r.relid) ?? [],
    ...(parts.facts?.get(r.relid) ?? {}),
  };
}
