import type { TableCopy } from '../../plan/data/types';
import { ident, qname } from '../../sql';

/** One row image from pgoutput: text values, null, or undefined for an unchanged TOAST value. */
export type Tuple = Record<string, string | null | undefined>;

export interface Statement {
  sql: string;
  params: (string | null)[];
}

/** Source column -> target column, for the columns the copy carries (generated ones are computed). */
function targetColumns(copy: TableCopy): Map<string, string> {
  return new Map(copy.columns.filter((c) => !c.expression).map((c) => [c.source, c.target]));
}

function present(copy: TableCopy, tuple: Tuple): [string, string | null][] {
  const map = targetColumns(copy);
  return Object.entries(tuple)
    .filter(([name, v]) => v !== undefined && map.has(name))
    .map(([name, v]) => [map.get(name)!, v as string | null]);
}

const table = (copy: TableCopy) => qname(copy.target.schema, copy.target.table);

export function insertSql(copy: TableCopy, tuple: Tuple): Statement {
  const cols = present(copy, tuple);
  const overriding = copy.overridingSystemValue ? ' overriding system value' : '';
  return {
    sql: `insert into ${table(copy)} (${cols.map(([c]) => ident(c)).join(', ')})${overriding} values (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
    params: cols.map(([, v]) => v),
  };
}

/**
 * The WHERE clause that finds the row an update or delete names: its replica identity key, or
 * (identity FULL) every old value, limited to one row so duplicate rows lose one copy each.
 */
function whereRow(copy: TableCopy, keyColumns: string[], old: Tuple, offset: number): Statement {
  const map = targetColumns(copy);
  if (keyColumns.length > 0) {
    const keys = keyColumns.map((k) => [map.get(k) ?? k, old[k] ?? null] as const);
    return {
      sql: keys.map(([c], i) => `${ident(c)} = $${offset + i + 1}`).join(' and '),
      params: keys.map(([, v]) => v),
    };
  }
  const cols = present(copy, old);
  const match = cols.map(([c], i) => `${ident(c)} is not distinct from $${offset + i + 1}`).join(' and ');
  return { sql: `ctid = (select ctid from ${table(copy)} where ${match} limit 1)`, params: cols.map(([, v]) => v) };
}

export function updateSql(copy: TableCopy, keyColumns: string[], old: Tuple | null, next: Tuple): Statement {
  const cols = present(copy, next);
  const where = whereRow(copy, keyColumns, old ?? next, cols.length);
  return {
    sql: `update ${table(copy)} set ${cols.map(([c], i) => `${ident(c)} = $${i + 1}`).join(', ')} where ${where.sql}`,
    params: [...cols.map(([, v]) => v), ...where.params],
  };
}

export function deleteSql(copy: TableCopy, keyColumns: string[], old: Tuple): Statement {
  const where = whereRow(copy, keyColumns, old, 0);
  return { sql: `delete from ${table(copy)} where ${where.sql}`, params: where.params };
}

export function truncateSql(copies: TableCopy[]): Statement {
  return { sql: `truncate ${copies.map(table).join(', ')}`, params: [] };
}

/**
 * Columns that differ between the source table as the stream now describes it and the table
 * the plan copies: DDL on the source during sync, which logical replication does not carry.
 */
export function columnDrift(copy: TableCopy, streamed: string[]): { added: string[]; dropped: string[] } {
  const planned = new Set(copy.columns.map((c) => c.source));
  const now = new Set(streamed);
  return { added: streamed.filter((c) => !planned.has(c)), dropped: [...planned].filter((c) => !now.has(c)) };
}
