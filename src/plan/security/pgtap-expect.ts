import type { Operation, SecurityPattern } from '../../spec/types';
import { ident, literal, qname } from '../../sql';
import type { CoveredTable } from './context';

/**
 * What the spec allows, written as SQL over the probed row (`p.r`, jsonb) and the actor
 * (`a.role`, `a.claims`), evaluated with the owner's rights before the actor acts. It restates
 * the patterns from the spec, not the generated policies, so the two can disagree.
 */
const path = (claim: string[]): string => literal(`{${claim.join(',')}}`);

function holds(covered: CoveredTable, p: SecurityPattern, row: string, part: 'using' | 'check'): string {
  switch (p.kind) {
    case 'owner':
      return `(${row} ->> ${literal(p.column)}) = (a.claims ->> 'sub')`;
    case 'tenant':
      return `(${row} ->> ${literal(p.column)}) = (a.claims #>> ${path(p.claim)})`;
    case 'membership': {
      const [schema, name] = p.table.split('.');
      return `exists (select 1 from ${qname(schema, name)} m where m.${ident(p.memberKey)}::text = (${row} ->> ${literal(p.key)}) and m.${ident(p.userColumn)}::text = (a.claims ->> 'sub'))`;
    }
    case 'role':
      return `coalesce((a.claims #>> ${path(p.claim)}) = any (array[${p.values.map(literal).join(', ')}]), false)`;
    case 'public_read':
      if (p.filter === null) return 'true';
      return /^[A-Za-z_][A-Za-z0-9_$]*$/.test(p.filter)
        ? `coalesce((${row} ->> ${literal(p.filter)})::boolean, false)`
        : sqlHolds(covered, p.filter);
    case 'authenticated_read':
      return 'true';
    case 'custom':
      return sqlHolds(covered, (part === 'using' ? (p.using ?? p.withCheck) : (p.withCheck ?? p.using)) ?? 'false');
    default:
      return 'false';
  }
}

const sqlHolds = (covered: CoveredTable, expr: string): string =>
  `pg_temp.sm_holds(${literal(covered.sql)}, p.rowid, ${literal(expr)}, a.claims)`;

/** The row an actor inserts: the probed one with its owner and tenant columns set to the actor's. */
export function insertedRowSql(covered: CoveredTable): string {
  const sets = covered.patterns.flatMap((p) =>
    p.kind === 'owner'
      ? [`${literal(p.column)}, a.claims ->> 'sub'`]
      : p.kind === 'tenant'
        ? [`${literal(p.column)}, a.claims #>> ${path(p.claim)}`]
        : [],
  );
  return sets.length === 0 ? 'p.r' : `(p.r || jsonb_build_object(${sets.join(', ')}))`;
}

function policyAllows(covered: CoveredTable, op: Operation): string {
  const row = op === 'insert' ? insertedRowSql(covered) : 'p.r';
  const part = (which: 'using' | 'check', r: string): string => {
    const parts = covered.patterns
      .map((p) =>
        p.operations.includes(op) && p.roles.length > 0
          ? `(a.role in (${p.roles.map(literal).join(', ')}) and ${holds(covered, p, r, which)})`
          : null,
      )
      .filter((s): s is string => s !== null);
    return parts.length === 0 ? 'false' : parts.join(' or ');
  };
  if (op === 'insert') return `(${part('check', row)})`;
  if (op === 'update') return `((${part('using', 'p.r')}) and (${part('check', row)}))`;
  return `(${part('using', 'p.r')})`;
}

/** `true` when the spec lets actor `a` do `op` on row `p`; update and delete must see the row too. */
export function expectedSql(covered: CoveredTable, op: Operation): string {
  const allowed =
    op === 'update' || op === 'delete'
      ? `(${policyAllows(covered, op)} and ${policyAllows(covered, 'select')})`
      : policyAllows(covered, op);
  return `(a.role = 'service_role' or ${allowed})`;
}
