import type { TableCopy } from '../../plan/data/types';
import { ident, literal, qname } from '../../sql';
import type { Chunk } from './types';

/** The SQL that reads and writes a chunk. Identifiers and key values enter only quoted. */

export const sourceTable = (copy: TableCopy) => qname(copy.source.schema, copy.source.table);
/**
 * The rows a copy reads: the table's own, never those of tables that inherit from it (each of
 * those is copied by its own step; reading them through the parent copied them twice).
 */
export const sourceRows = (copy: TableCopy) => `only ${sourceTable(copy)}`;
export const targetTable = (copy: TableCopy) => qname(copy.target.schema, copy.target.table);

export function sourceExpressions(copy: TableCopy): string[] {
  return copy.columns.map((c) => {
    const value = c.expression ? `(${c.expression})` : ident(c.source);
    return c.cast ? `(${value})::${c.cast}` : value;
  });
}

export const targetColumnList = (copy: TableCopy) => copy.columns.map((c) => ident(c.target)).join(', ');

/** WHERE clause of a chunk: the spec's row filter plus the chunk's key bounds. */
export function chunkCondition(copy: TableCopy, chunk: Chunk, lastKey: string[] | null = null): string {
  const parts: string[] = [];
  if (copy.where) parts.push(`(${copy.where})`);
  const key = (copy.key ?? []).map(ident);
  if (copy.chunking === 'range' && chunk.lo !== null && chunk.hi !== null) {
    parts.push(`${key[0]} >= ${literal(chunk.lo)} and ${key[0]} < ${literal(chunk.hi)}`);
  }
  if (copy.chunking === 'keyset' && chunk.after) parts.push(`${rowOf(key)} > ${rowOf(chunk.after.map(literal))}`);
  if (copy.chunking === 'keyset' && lastKey) parts.push(`${rowOf(key)} <= ${rowOf(lastKey.map(literal))}`);
  return parts.length ? ` where ${parts.join(' and ')}` : '';
}

const rowOf = (items: string[]) => `(${items.join(', ')})`;

export const keyOrder = (copy: TableCopy) => (copy.key ? ` order by ${copy.key.map(ident).join(', ')}` : '');

/** Rows of a chunk in key order; `limit` is used by the dry run. */
export function chunkSelect(copy: TableCopy, chunk: Chunk, lastKey: string[] | null, limit?: number): string {
  const columns = sourceExpressions(copy).join(', ');
  const tail = limit === undefined ? '' : ` limit ${Math.floor(limit)}`;
  return `select ${columns} from ${sourceRows(copy)}${chunkCondition(copy, chunk, lastKey)}${keyOrder(copy)}${tail}`;
}

/** The same rows as text, with the key columns appended so a rejected row can be named. */
export function chunkSelectAsText(copy: TableCopy, chunk: Chunk, lastKey: string[] | null, limit?: number): string {
  const columns = sourceExpressions(copy).map((e, i) => `(${e})::text as c${i}`);
  const keys = (copy.key ?? []).map((k, i) => `${ident(k)}::text as k${i}`);
  const tail = limit === undefined ? '' : ` limit ${Math.floor(limit)}`;
  return `select ${[...columns, ...keys].join(', ')} from ${sourceRows(copy)}${chunkCondition(copy, chunk, lastKey)}${keyOrder(copy)}${tail}`;
}

/** A table without columns (it can still hold rows) takes COPY without a column list: `()` is a syntax error. */
export function copyInStatement(copy: TableCopy): string {
  const columns = copy.columns.length > 0 ? ` (${targetColumnList(copy)})` : '';
  return `copy ${targetTable(copy)}${columns} from stdin`;
}

/**
 * A multi-row INSERT whose parameters arrive as text and are converted by each column's input
 * function (`$n::text::type`), so every type travels exactly as COPY would carry it.
 */
export function insertStatement(copy: TableCopy, targetTypes: string[], rowCount: number): string {
  if (copy.columns.length === 0)
    return `insert into ${targetTable(copy)} select from pg_catalog.generate_series(1, ${Math.floor(rowCount)})`;
  const width = copy.columns.length;
  const rows = Array.from(
    { length: rowCount },
    (_, r) => `(${targetTypes.map((type, c) => `$${r * width + c + 1}::text::${type}`).join(', ')})`,
  );
  const overriding = copy.overridingSystemValue ? ' overriding system value' : '';
  return `insert into ${targetTable(copy)} (${targetColumnList(copy)})${overriding} values ${rows.join(', ')}`;
}
