import { ident, qname } from '../../sql';

/** One relation PostgREST reads: its qualified name, the columns asked for, and a WHERE. */
export interface ReadSource {
  schema: string;
  table: string;
  columns: string[];
  where: string[];
}

export interface ChildEmbed extends ReadSource {
  /** child column -> parent column of the foreign key. */
  on: [string, string][];
}

const body = (inner: string): string =>
  `WITH pgrst_source AS (${inner}) SELECT null::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, ` +
  `coalesce(json_agg(_postgrest_t), '[]') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, ` +
  `nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT * FROM pgrst_source) _postgrest_t`;

const whereClause = (parts: string[]): string => (parts.length > 0 ? ` WHERE ${parts.join(' AND ')}` : '');

function selectList(src: ReadSource, qualifier: string): string {
  return src.columns.map((c) => `${qualifier}.${ident(c)}`).join(', ');
}

/** `GET /table?select=cols&<filters>&limit=N`, as PostgREST 12 writes the statement. */
export function readSql(src: ReadSource, limit: number | null): string {
  const q = qname(src.schema, src.table);
  const tail = limit === null ? '' : ` LIMIT ${limit} OFFSET 0`;
  return body(`SELECT ${selectList(src, q)} FROM ${q}${whereClause(src.where)}${tail}`);
}

/**
 * `GET /parent?<filters>&select=cols,child(cols)`: a one-to-many embed, a lateral json_agg of
 * the child rows that reference the parent row, the child's own WHERE (its policy) inside.
 */
export function embedSql(parent: ReadSource, child: ChildEmbed): string {
  const p = qname(parent.schema, parent.table);
  const alias = ident(`${child.table}_1`);
  const agg = ident(`${parent.table}_${child.table}_1`);
  const join = child.on.map(([c, pc]) => `${alias}.${ident(c)} = ${p}.${ident(pc)}`);
  const inner = `SELECT ${selectList(child, alias)} FROM ${qname(child.schema, child.table)} AS ${alias}${whereClause([...join, ...child.where])}`;
  const lateral = `LEFT JOIN LATERAL (SELECT json_agg(${agg})::json AS ${agg} FROM (${inner}) AS ${agg}) AS ${agg} ON TRUE`;
  const cols = `${selectList(parent, p)}, COALESCE(${agg}.${agg}, '[]') AS ${ident(child.table)}`;
  return body(`SELECT ${cols} FROM ${p} ${lateral}${whereClause(parent.where)}`);
}
