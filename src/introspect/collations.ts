import type { Collation } from './snapshot';
import { rowsOf, sortByKeys, type CatalogScope } from './catalog';

interface CollationRow {
  schema: string;
  name: string;
  provider: 'c' | 'i' | 'd';
  deterministic: boolean;
  lc_collate: string | null;
  lc_ctype: string | null;
  locale: string | null;
  rules: string | null;
  comment: string | null;
}

/**
 * Collations the schemas define (ICU and libc). The catalog renamed its locale column between
 * versions (colliculocale in 15, colllocale from 17), so the row is read as JSON by field name.
 */
export async function readCollations(scope: CatalogScope): Promise<Collation[]> {
  const rows = await rowsOf<CollationRow>(
    scope,
    `
    select n.nspname::text as schema, co.collname::text as name, co.collprovider::text as provider,
      co.collisdeterministic as deterministic, j ->> 'collcollate' as lc_collate, j ->> 'collctype' as lc_ctype,
      coalesce(j ->> 'colllocale', j ->> 'colliculocale') as locale, j ->> 'collicurules' as rules,
      pg_catalog.obj_description(co.oid, 'pg_collation') as comment
    from pg_catalog.pg_collation co join pg_catalog.pg_namespace n on n.oid = co.collnamespace
      cross join lateral pg_catalog.to_jsonb(co) j
    where n.oid = any($1::oid[]) and not exists (select 1 from pg_catalog.pg_depend ext_dep
      where ext_dep.classid = 'pg_catalog.pg_collation'::pg_catalog.regclass and ext_dep.objid = co.oid and ext_dep.deptype = 'e')
    order by n.nspname collate "C", co.collname collate "C"`,
  );
  return sortByKeys(rows, (r) => [r.schema, r.name]).map((r) => ({
    schema: r.schema,
    name: r.name,
    provider: r.provider,
    deterministic: r.deterministic,
    lcCollate: r.lc_collate,
    lcCtype: r.lc_ctype,
    locale: r.locale,
    rules: r.rules,
    comment: r.comment,
  }));
}
