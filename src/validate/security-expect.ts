import { otherTenantValue, SOME_USER, STRANGER } from '../plan/security/actors';
import type { CoveredTable } from '../plan/security/context';
import type { Operation, SecurityPattern } from '../spec/types';

/**
 * Who the access matrix acts as, and what the spec says each may do. Pure: the facts about the
 * probed row come in from the caller, the expectation is derived from the spec's patterns alone
 * (never from the generated SQL), so a wrong policy shows up as a differing cell.
 */
export type ActorName = 'anon' | 'owner' | 'other_user' | 'other_tenant' | 'role_holder' | 'service_role';

export interface Actor {
  name: ActorName;
  role: 'anon' | 'authenticated' | 'service_role';
  /** What PostgREST would put in request.jwt.claims. */
  claims: Record<string, unknown>;
}

/** What the matrix knows about the probed row, read with the owner's rights. */
export interface RowFacts {
  row: Record<string, unknown>;
  /** Pattern index -> user ids the membership table lists for the row's key. */
  members: Record<number, string[]>;
  /** `<pattern index>:<using|check|filter>:<actor>` -> value of an SQL condition written in the spec. */
  sql: Record<string, boolean>;
}

export { SOME_USER, STRANGER } from '../plan/security/actors';

const text = (v: unknown): string | null =>
  v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v);

export function claimAt(claims: Record<string, unknown>, path: string[]): unknown {
  let node: unknown = claims;
  for (const key of path)
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  return node;
}

function withClaim(claims: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  if (path.length === 0) return claims;
  const [head, ...rest] = path;
  const child =
    typeof claims[head] === 'object' && claims[head] !== null ? (claims[head] as Record<string, unknown>) : {};
  return { ...claims, [head]: rest.length === 0 ? value : withClaim(child, rest, value) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The actors for one table and probed row: the row's owner and strangers in and out of its tenant. */
export function actorsFor(covered: CoveredTable, facts: RowFacts): Actor[] {
  const owner = covered.patterns.find((p) => p.kind === 'owner');
  const memberIndex = covered.patterns.findIndex((p) => p.kind === 'membership');
  const rowOwner =
    owner?.kind === 'owner'
      ? text(facts.row[owner.column])
      : memberIndex >= 0
        ? (facts.members[memberIndex]?.[0] ?? null)
        : null;
  // auth.uid() is a uuid: a row owned by any other kind of id is nobody's a token can name.
  const ownerId = rowOwner !== null && UUID.test(rowOwner) ? rowOwner : null;
  const tenants = covered.patterns.flatMap((p) => (p.kind === 'tenant' ? [p] : []));
  const inTenant = (claims: Record<string, unknown>) =>
    tenants.reduce((c, p) => withClaim(c, p.claim, text(facts.row[p.column])), claims);
  const outOfTenant = (claims: Record<string, unknown>) =>
    tenants.reduce((c, p) => withClaim(c, p.claim, otherTenantValue(covered, p.column)), claims);
  const user = (sub: string) => ({ sub, role: 'authenticated' });
  const actors: Actor[] = [
    { name: 'anon', role: 'anon', claims: { role: 'anon' } },
    { name: 'owner', role: 'authenticated', claims: inTenant(user(ownerId ?? SOME_USER)) },
    { name: 'other_user', role: 'authenticated', claims: inTenant(user(STRANGER)) },
  ];
  if (tenants.length > 0)
    actors.push({ name: 'other_tenant', role: 'authenticated', claims: outOfTenant(user(STRANGER)) });
  const roles = covered.patterns.flatMap((p) => (p.kind === 'role' ? [p] : []));
  if (roles.length > 0)
    actors.push({
      name: 'role_holder',
      role: 'authenticated',
      claims: roles.reduce((c, p) => withClaim(c, p.claim, p.values[0]), outOfTenant(user(STRANGER))),
    });
  actors.push({ name: 'service_role', role: 'service_role', claims: { role: 'service_role' } });
  return actors;
}

/** The row an actor inserts: the probed row with its owner and tenant columns set to the actor's. */
export function insertedRow(covered: CoveredTable, facts: RowFacts, actor: Actor): Record<string, unknown> {
  const row = { ...facts.row };
  for (const p of covered.patterns) {
    if (p.kind === 'owner') row[p.column] = actor.claims.sub ?? null;
    if (p.kind === 'tenant') row[p.column] = claimAt(actor.claims, p.claim) ?? null;
  }
  return row;
}

function holds(
  p: SecurityPattern,
  index: number,
  actor: Actor,
  facts: RowFacts,
  row: Record<string, unknown>,
  part: 'using' | 'check',
): boolean {
  switch (p.kind) {
    case 'owner':
      return actor.claims.sub !== undefined && text(row[p.column]) === actor.claims.sub;
    case 'tenant':
      return text(row[p.column]) !== null && text(row[p.column]) === text(claimAt(actor.claims, p.claim));
    case 'membership':
      return typeof actor.claims.sub === 'string' && (facts.members[index] ?? []).includes(actor.claims.sub);
    case 'role':
      return p.values.includes(claimAt(actor.claims, p.claim) as string);
    case 'public_read':
      return p.filter === null || (facts.sql[`${index}:filter:${actor.name}`] ?? row[p.filter] === true);
    case 'authenticated_read':
      return true;
    case 'custom':
      return facts.sql[`${index}:${part}:${actor.name}`] === true;
    default:
      return false;
  }
}

function policyAllows(covered: CoveredTable, op: Operation, actor: Actor, facts: RowFacts): boolean {
  if (actor.role === 'service_role') return true;
  const role = actor.role;
  const newRow = op === 'insert' ? insertedRow(covered, facts, actor) : facts.row;
  const passes = (part: 'using' | 'check', row: Record<string, unknown>) =>
    covered.patterns.some(
      (p, i) => p.operations.includes(op) && p.roles.includes(role) && holds(p, i, actor, facts, row, part),
    );
  if (op === 'insert') return passes('check', newRow);
  if (op === 'update') return passes('using', facts.row) && passes('check', newRow);
  return passes('using', facts.row);
}

/**
 * Whether the spec lets the actor do the operation on the probed row. An UPDATE or DELETE that
 * names its row (PostgREST's filters) must also see it, so those need select as well.
 */
export function expectedAccess(covered: CoveredTable, op: Operation, actor: Actor, facts: RowFacts): boolean {
  const allowed = policyAllows(covered, op, actor, facts);
  return op === 'update' || op === 'delete' ? allowed && policyAllows(covered, 'select', actor, facts) : allowed;
}
