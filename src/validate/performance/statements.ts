import { createHash } from 'node:crypto';
import type { Db } from '../../db/types';
import type { Snapshot, Table } from '../../introspect/snapshot';
import { qname } from '../../sql';
import type { ValueSource, WorkloadQuery } from './types';

/** Every statement validate sends to the source starts with this, so its own work never joins the workload. */
export const OWN_MARK = '/* supamigrate:performance */';

const READ_ONLY = /^\s*(select|with)\b/i;
const WRITES = /\b(insert|update|delete|merge|into|nextval|setval|for\s+(update|share|no\s+key|key))\b/i;
const CATALOG = ['pg_catalog', 'information_schema', 'pg_stat\\w*', 'pg_extension', 'pg_class', 'pg_namespace'];
const SYSTEM = new RegExp(`\\b(${[...CATALOG, 'pg_settings', 'pg_database'].join('|')})\\b|supamigrate`, 'i');

export interface TopStatement {
  query: string;
  calls: number;
  totalMs: number;
}

/** The top read-only statements of this database by total time; [] when the extension is not installed. */
export async function topStatements(db: Db, count: number): Promise<TopStatement[]> {
  if (count <= 0) return [];
  const ext = await db.query<{ schema: string }>(
    `${OWN_MARK} select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_stat_statements'`,
  );
  if (ext.rows.length === 0) return [];
  const rows = await statementRows(db, ext.rows[0].schema);
  return rows
    .filter(
      (s) => !s.query.includes(OWN_MARK) && READ_ONLY.test(s.query) && !WRITES.test(s.query) && !SYSTEM.test(s.query),
    )
    .slice(0, count)
    .map((s) => ({ query: s.query, calls: Number(s.calls), totalMs: Number(s.total) }));
}

/**
 * The view's rows of this database. Created but not in shared_preload_libraries, the extension
 * raises 55000 on every read: that source has no statistics to give, like one without it. A
 * savepoint keeps the caller's read-only transaction usable.
 */
async function statementRows(db: Db, schema: string): Promise<{ query: string; calls: string; total: number }[]> {
  await db.exec('savepoint top_statements');
  try {
    const r = await db.query<{ query: string; calls: string; total: number }>(
      `${OWN_MARK} select query, calls::text as calls, total_exec_time as total from ${qname(schema, 'pg_stat_statements')}
     where dbid = (select oid from pg_database where datname = current_database()) and toplevel
     order by total_exec_time desc, query limit 500`,
    );
    await db.exec('release savepoint top_statements');
    return r.rows;
  } catch (err) {
    await db.exec('rollback to savepoint top_statements');
    if ((err as { code?: string }).code === '55000') return [];
    throw err;
  }
}

const NAME = String.raw`"?([A-Za-z_][A-Za-z0-9_$]*)"?`;

/** Tables a statement reads, by the names after FROM and JOIN (schema-qualified or not). */
function tablesRead(sql: string, snapshot: Snapshot): Table[] {
  const names = [...sql.matchAll(new RegExp(String.raw`\b(?:from|join)\s+(?:${NAME}\s*\.\s*)?${NAME}`, 'gi'))];
  return names.flatMap((m) =>
    snapshot.tables.filter((t) => t.name === m[2] && (m[1] === undefined || t.schema === m[1])),
  );
}

/** What $n stands for: LIMIT/OFFSET get constants; a compared column gets its most frequent value. */
function paramSource(sql: string, n: number, tables: Table[]): ValueSource | null {
  const p = String.raw`\$${n}(?![0-9])`;
  if (new RegExp(String.raw`\blimit\s+${p}`, 'i').test(sql)) return { constant: '20' };
  if (new RegExp(String.raw`\boffset\s+${p}`, 'i').test(sql)) return { constant: '0' };
  const col = String.raw`(?:${NAME}\s*\.\s*)?${NAME}`;
  const m =
    new RegExp(String.raw`${col}\s*(?:=|<>|!=|<=|>=|<|>|in\s*\()\s*${p}`, 'i').exec(sql) ??
    new RegExp(String.raw`${p}\s*(?:=|<>)\s*${col}`, 'i').exec(sql);
  if (!m) return null;
  const table = tables.find((t) => t.columns.some((c) => c.name === m[2]));
  return table ? { column: `${table.schema}.${table.name}.${m[2]}`, pick: 'most_rows' } : null;
}

export interface StatementWorkload {
  queries: WorkloadQuery[];
  /** Statements left out, with why (no column found for a parameter). */
  skipped: { sql: string; reason: string }[];
}

/** The top statements as workload queries, each parameter bound to a value sampled from the source. */
export function statementWorkload(top: TopStatement[], snapshot: Snapshot): StatementWorkload {
  const out: StatementWorkload = { queries: [], skipped: [] };
  for (const s of top) {
    const count = Math.max(0, ...[...s.query.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
    const tables = tablesRead(s.query, snapshot);
    const params = Array.from({ length: count }, (_, i) => paramSource(s.query, i + 1, tables));
    const missing = params.findIndex((p) => p === null);
    if (missing >= 0) {
      out.skipped.push({ sql: s.query, reason: `no column found for $${missing + 1}` });
      continue;
    }
    const name = `top:${createHash('sha1').update(s.query).digest('hex').slice(0, 10)}`;
    out.queries.push({
      name,
      origin: 'statements',
      sql: s.query,
      sourceSql: s.query,
      params: params as ValueSource[],
      role: 'postgres',
      claims: [],
      writes: false,
    });
  }
  return out;
}
