import type { Constraint, Table } from '../../introspect/snapshot';
import { apiOperations } from '../../plan/security/grants';
import { mergedCondition } from '../../plan/security/policies';
import { sensitiveColumns } from '../../plan/security/source-rules';
import type { CoveredTable, SecurityContext } from '../../plan/security/context';
import type { PerformanceRole } from '../../spec/performance';
import type { ApiRole } from '../../spec/types';
import { ident, qname } from '../../sql';
import { anonClaims, userClaims } from './claims';
import { embedSql, readSql, type ReadSource } from './postgrest-sql';
import type { ClaimSource, ValueSource, WorkloadQuery } from './types';

const LIST_LIMIT = 20;

/** The role's read policy with auth.uid()/auth.jwt() reading a parameter: the source's plain WHERE. */
export function sourceFilter(covered: CoveredTable, role: PerformanceRole, claimsParam: number): string[] {
  if (role !== 'anon' && role !== 'authenticated') return [];
  if (covered.carried) return [];
  const using = mergedCondition(covered.table, covered, 'select', role as ApiRole)?.using ?? null;
  // The role pattern's helper lives only on the target and filters no row: nothing to write.
  if (using === null || using === 'true' || using.includes('"private".')) return [];
  const claims = `($${claimsParam}::jsonb)`;
  return [`(${using.replace(/auth\.uid\(\)/g, `((${claims} ->> 'sub')::uuid)`).replace(/auth\.jwt\(\)/g, claims)})`];
}

const readable = (ctx: SecurityContext, c: CoveredTable, role: PerformanceRole): boolean =>
  role === 'service_role' || (role !== 'postgres' && apiOperations(ctx, c, role).includes('select'));

function rolesOf(ctx: SecurityContext, c: CoveredTable): PerformanceRole[] {
  const api = (['anon', 'authenticated'] as const).filter((r) => readable(ctx, c, r));
  // Without an API grant only the service key reaches the table through the Data API.
  return api.length > 0 ? [...api] : ['service_role'];
}

function columnsFor(t: Table, role: PerformanceRole): string[] {
  const hidden = role === 'service_role' ? new Set<string>() : new Set(sensitiveColumns(t));
  return t.columns.filter((c) => !hidden.has(c.name)).map((c) => c.name);
}

const primaryKey = (t: Table): string[] => t.constraints.find((k) => k.kind === 'p')?.columns ?? [];

interface Builder {
  ctx: SecurityContext;
  covered: CoveredTable;
  role: PerformanceRole;
  claims: ClaimSource[];
}

function source(b: Builder, c: CoveredTable, where: string[], forSource: boolean, paramCount: number): ReadSource {
  const extra = forSource ? sourceFilter(c, b.role, paramCount + 1) : [];
  return { schema: c.schema, table: c.table.name, columns: columnsFor(c.table, b.role), where: [...where, ...extra] };
}

function query(b: Builder, name: string, params: ValueSource[], sql: (forSource: boolean) => string): WorkloadQuery {
  return {
    name: `${name} as ${b.role}`,
    origin: 'data_api',
    sql: sql(false),
    sourceSql: sql(true),
    params,
    role: b.role,
    claims: b.claims,
    writes: false,
  };
}

function listAndGet(b: Builder): WorkloadQuery[] {
  const c = b.covered;
  const out = [query(b, `${c.key}.list`, [], (s) => readSql(source(b, c, [], s, 0), LIST_LIMIT))];
  const pk = primaryKey(c.table);
  if (pk.length > 0) {
    const where = pk.map((col, i) => `${qname(c.schema, c.table.name)}.${ident(col)} = $${i + 1}`);
    const params = pk.map((col): ValueSource => ({ column: `${c.key}.${col}`, pick: 'any' }));
    out.push(query(b, `${c.key}.get`, params, (s) => readSql(source(b, c, where, s, pk.length), null)));
  }
  return out;
}

/** Filters on the columns the policies use: `?owner_id=eq.<the user>`. */
function policyColumnFilters(b: Builder): WorkloadQuery[] {
  const c = b.covered;
  const columns = [
    ...new Set(c.patterns.flatMap((p) => (p.kind === 'owner' || p.kind === 'tenant' ? [p.column] : []))),
  ].sort();
  return columns.map((col) => {
    const where = [`${qname(c.schema, c.table.name)}.${ident(col)} = $1`];
    const params: ValueSource[] = [{ column: `${c.key}.${col}`, pick: 'most_rows' }];
    return query(b, `${c.key}.by_${col}`, params, (s) => readSql(source(b, c, where, s, 1), LIST_LIMIT));
  });
}

const singleFkTo = (child: Table, parentKey: string): Constraint[] =>
  child.constraints.filter((k) => k.kind === 'f' && k.refTable === parentKey && k.columns.length === 1);

/** The parent with the most children, and its children embedded through the foreign key. */
function embeds(b: Builder): WorkloadQuery[] {
  const parent = b.covered;
  const pk = primaryKey(parent.table);
  if (pk.length !== 1) return [];
  const out: WorkloadQuery[] = [];
  for (const child of b.ctx.tables.filter((t) => readable(b.ctx, t, b.role) && t.table.partitionOf === null)) {
    for (const fk of singleFkTo(child.table, parent.key).filter((k) => k.refColumns[0] === pk[0])) {
      const where = [`${qname(parent.schema, parent.table.name)}.${ident(pk[0])} = $1`];
      const params: ValueSource[] = [{ column: `${child.key}.${fk.columns[0]}`, pick: 'most_rows' }];
      const sql = (s: boolean) => {
        const childSrc = { ...source(b, child, [], s, 1), on: [[fk.columns[0], pk[0]]] as [string, string][] };
        return embedSql(source(b, parent, where, s, 1), childSrc);
      };
      out.push(query(b, `${parent.key}.embed.${child.key}.${fk.columns[0]}`, params, sql));
    }
  }
  return out;
}

/** The statements the Data API sends for the generated API, per table and per role that reads it. */
export function dataApiWorkload(ctx: SecurityContext): WorkloadQuery[] {
  const out: WorkloadQuery[] = [];
  for (const covered of ctx.tables.filter((t) => t.table.partitionOf === null)) {
    for (const role of rolesOf(ctx, covered)) {
      const claims = role === 'authenticated' ? userClaims(ctx, covered) : role === 'anon' ? anonClaims() : [];
      const b: Builder = { ctx, covered, role, claims };
      out.push(...listAndGet(b), ...policyColumnFilters(b), ...embeds(b));
    }
  }
  return out;
}
