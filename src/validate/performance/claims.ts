import type { SecurityPattern } from '../../spec/types';
import type { CoveredTable, SecurityContext } from '../../plan/security/context';
import type { ClaimSource, ValueSource } from './types';

const most = (schemaTable: string, column: string): ValueSource => ({
  column: `${schemaTable}.${column}`,
  pick: 'most_rows',
});

function claimOf(key: string, p: SecurityPattern): ClaimSource | null {
  if (p.kind === 'owner') return { path: ['sub'], value: most(key, p.column) };
  if (p.kind === 'tenant') return { path: p.claim, value: most(key, p.column) };
  if (p.kind === 'membership') return { path: ['sub'], value: most(p.table, p.userColumn) };
  return null;
}

/**
 * The JWT of a real user for `authenticated`: the owner with the most rows of the table, the
 * tenant with the most rows, so the policies are exercised where they filter least.
 */
export function userClaims(ctx: SecurityContext, covered: CoveredTable): ClaimSource[] {
  const out: ClaimSource[] = [{ path: ['role'], value: { constant: 'authenticated' } }];
  const seen = new Set<string>(['role']);
  for (const p of covered.patterns) {
    const c = claimOf(covered.key, p);
    if (c === null || seen.has(c.path.join('.'))) continue;
    seen.add(c.path.join('.'));
    out.push(c);
  }
  const users = ctx.spec.security.usersTable;
  if (!seen.has('sub') && users)
    out.push({ path: ['sub'], value: { column: `${users.table}.${users.idColumn}`, pick: 'any' } });
  return out;
}

export const anonClaims = (): ClaimSource[] => [{ path: ['role'], value: { constant: 'anon' } }];

/** The claims object PostgREST would put in request.jwt.claims, from the resolved values. */
export function claimsObject(claims: ClaimSource[], values: string[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  claims.forEach((c, i) => {
    let node = root;
    c.path.slice(0, -1).forEach((k) => {
      node[k] = (node[k] as Record<string, unknown> | undefined) ?? {};
      node = node[k] as Record<string, unknown>;
    });
    node[c.path[c.path.length - 1]] = values[i];
  });
  return root;
}
