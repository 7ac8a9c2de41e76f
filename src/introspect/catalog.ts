import type { Db } from '../db';

/** What every catalog reader gets: a connection inside the snapshot transaction and the schemas to read. */
export interface CatalogScope {
  db: Db;
  /** OIDs of the introspected schemas as an array literal, bound as `$1::oid[]`. */
  schemaOids: string;
}

export async function rowsOf<R>(scope: CatalogScope, sql: string): Promise<R[]> {
  return (await scope.db.query<R>(sql, [scope.schemaOids])).rows;
}

/** Code-point order: unlike localeCompare it gives the same answer on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortByKeys<T>(items: T[], key: (item: T) => string[]): T[] {
  const keyed = items.map((item) => ({ item, k: key(item) }));
  keyed.sort((x, y) => {
    for (let i = 0; i < Math.max(x.k.length, y.k.length); i++) {
      const c = compareText(x.k[i] ?? '', y.k[i] ?? '');
      if (c !== 0) return c;
    }
    return 0;
  });
  return keyed.map((e) => e.item);
}

export function sortedUnique(values: string[]): string[] {
  return [...new Set(values)].sort(compareText);
}

export function groupBy<T>(items: T[], key: (item: T) => string | number): Map<string | number, T[]> {
  const groups = new Map<string | number, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** A SQL condition: the object (of catalog `classid`) is not a member of an extension. */
export function notExtensionMember(catalog: 'pg_class' | 'pg_proc' | 'pg_type', oidExpr: string): string {
  return `not exists (select 1 from pg_catalog.pg_depend ext_dep
    where ext_dep.classid = 'pg_catalog.${catalog}'::pg_catalog.regclass and ext_dep.objid = ${oidExpr} and ext_dep.deptype = 'e')`;
}

/** Turns a "char" catalog flag that may be empty ('') into null. */
export function flagOrNull<T extends string>(value: string): T | null {
  return value === '' ? null : (value as T);
}

/**
 * A left join to the object's comment. A join lets the planner read pg_description once
 * instead of calling obj_description per row, which shows on schemas with hundreds of tables.
 */
export function commentJoin(
  alias: string,
  catalog: 'pg_class' | 'pg_constraint' | 'pg_proc',
  oidExpr: string,
  subIdExpr = '0',
): string {
  return `left join pg_catalog.pg_description ${alias} on ${alias}.objoid = ${oidExpr}
    and ${alias}.classoid = 'pg_catalog.${catalog}'::pg_catalog.regclass and ${alias}.objsubid = ${subIdExpr}`;
}
