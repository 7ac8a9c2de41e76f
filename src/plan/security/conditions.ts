import type { Table } from '../../introspect/snapshot';
import type { Operation, SecurityPattern } from '../../spec/types';
import { ident, literal, qname } from '../../sql';

/** The schema and function the role pattern calls; outside the API so nobody calls it over REST. */
export const HELPER_SCHEMA = 'private';
export const CLAIM_HELPER = 'jwt_claim_in';

/** What one pattern lets a row through on: `using` filters existing rows, `check` new ones. */
export interface Condition {
  using: string | null;
  check: string | null;
}

const UID = '(select auth.uid())';
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;

const castTo = (expr: string, type: string): string => (type === 'text' ? expr : `(${expr})::${type}`);

/**
 * `(select <expr>)`: the whole expression, cast included, becomes one initPlan evaluated once per
 * statement. Wrapping only auth.jwt() would leave the claim lookup and the cast to run per row
 * (bench/rls: 2.4x the cost of no RLS on a tenant scan). The inner `(select auth.jwt())` stays,
 * because Supabase's advisor (auth_rls_initplan) looks for the text `select auth.jwt()`.
 */
const once = (expr: string): string => `(select ${expr})`;

function columnType(table: Table, column: string): string {
  return table.columns.find((c) => c.name === column)?.type ?? 'text';
}

/** `-> 'a' -> 'b' ->> 'c'`: the documented way to read a claim; callers wrap it in `once`. */
export function claimExpr(path: string[]): string {
  const steps = path.map((p, i) => `${i === path.length - 1 ? '->>' : '->'} ${literal(p)}`);
  return `((select auth.jwt()) ${steps.join(' ')})`;
}

const textArray = (values: string[]): string => `array[${values.map(literal).join(', ')}]::text[]`;

/** The row condition a pattern stands for, the same for reading and writing. */
function rowCondition(table: Table, p: SecurityPattern, helperSchema: string): string | null {
  switch (p.kind) {
    case 'owner': {
      const type = columnType(table, p.column);
      return `${ident(p.column)} = ${type === 'uuid' ? UID : once(`${UID}::${type}`)}`;
    }
    case 'tenant':
      return `${ident(p.column)} = ${once(castTo(claimExpr(p.claim), columnType(table, p.column)))}`;
    case 'membership': {
      const [schema, name] = p.table.split('.');
      return `${ident(p.key)} in (select ${ident(p.memberKey)} from ${qname(schema, name)} where ${ident(p.userColumn)} = ${UID})`;
    }
    case 'role':
      return `(select ${qname(helperSchema, CLAIM_HELPER)}(${textArray(p.claim)}, ${textArray(p.values)}))`;
    case 'public_read':
      if (p.filter === null) return 'true';
      return IDENTIFIER.test(p.filter) ? ident(p.filter) : `(${p.filter})`;
    case 'authenticated_read':
      return 'true';
    default:
      return null;
  }
}

/** The condition a pattern adds to one operation's policy; null when it opens nothing there. */
export function conditionFor(
  table: Table,
  p: SecurityPattern,
  op: Operation,
  helperSchema = HELPER_SCHEMA,
): Condition | null {
  if (!p.operations.includes(op)) return null;
  if (p.kind === 'service_only') return null;
  if (p.kind === 'custom') {
    const using = p.using ?? p.withCheck;
    const check = p.withCheck ?? p.using;
    return { using: op === 'insert' ? null : using, check: op === 'insert' || op === 'update' ? check : null };
  }
  const row = rowCondition(table, p, helperSchema);
  return { using: op === 'insert' ? null : row, check: op === 'insert' || op === 'update' ? row : null };
}
