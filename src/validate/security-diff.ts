import type { Snapshot } from '../introspect/snapshot';
import { securityContext } from '../plan/security';
import { authUsersFkName } from '../plan/security/auth-users';
import { policyIndexes } from '../plan/security/indexes';
import { API_ROLES, OPERATIONS, policyName } from '../plan/security/policies';
import type { Spec } from '../spec/types';
import type { SchemaDifference } from '../compare/schema';

/**
 * Schema parity compares the target with the source, but the security plan changes some objects
 * on purpose: RLS switched on, the spec's policies instead of the source's, policy indexes and
 * pinned search_paths. This drops exactly those differences and keeps every other one.
 */
export function withoutPlannedSecurity(
  differences: SchemaDifference[],
  source: Snapshot,
  spec: Spec,
): SchemaDifference[] {
  const ctx = securityContext(source, spec);
  const governed = new Set(ctx.tables.filter((t) => !t.carried).map((t) => `${t.schema}.${t.table.name}`));
  const covered = new Set(ctx.tables.map((t) => `${t.schema}.${t.table.name}`));
  const planned = new Set([
    ...policyIndexes(ctx).map((i) => `index ${i.schema}.${i.table}.${i.name}`),
    ...authUsersConstraint(ctx.spec, ctx.schemaOf),
    ...[...governed].flatMap((t) =>
      OPERATIONS.flatMap((op) => API_ROLES.map((role) => `policy ${t}.${policyName(op, role)}`)),
    ),
  ]);
  const nullable = passwordColumn(ctx.spec, ctx.schemaOf);
  const explained = (d: SchemaDifference): boolean => {
    // Split at the first space only: a quoted name may hold spaces (`table public.My Table`).
    const kind = d.object.slice(0, d.object.indexOf(' '));
    const rest = d.object.slice(kind.length + 1);
    if (d.kind === 'different' && d.object === nullable) return onlyNotNullDropped(d.detail);
    const table = rest.split('.').slice(0, 2).join('.');
    if (d.kind === 'unexpected' && planned.has(d.object)) return true;
    if (d.kind === 'missing' && kind === 'policy' && governed.has(table)) return true;
    if (d.kind === 'different' && kind === 'table' && covered.has(rest)) return onlyRlsDiffers(d.detail);
    if (d.kind === 'different' && kind === 'function') return onlySearchPathDiffers(d.detail);
    return false;
  };
  return differences.filter((d) => !explained(d));
}

/** The users table's foreign key to auth.users, which the source cannot have had. */
function authUsersConstraint(spec: Spec, schemaOf: (s: string) => string): string[] {
  const u = spec.security.usersTable;
  if (!u || u.authUsers === 'none') return [];
  const [schema, name] = u.table.split('.');
  return [`constraint ${schemaOf(schema)}.${name}.${authUsersFkName(name, u.idColumn)}`];
}

/** The users table's password column, which the plan makes nullable (Supabase Auth keeps passwords now). */
function passwordColumn(spec: Spec, schemaOf: (s: string) => string): string | null {
  const u = spec.security.usersTable;
  if (!u || u.passwordColumn === null) return null;
  const [schema, name] = u.table.split('.');
  return `column ${schemaOf(schema)}.${name}.${u.passwordColumn}`;
}

function sides(detail: string): [string, string] | null {
  const m = /^expected (.*)\n {2}found {4}(.*)$/s.exec(detail);
  return m ? [m[1], m[2]] : null;
}

/** Table values are [kind, partition key, bound, rls enabled, rls forced]; only "enabled" may move. */
function onlyRlsDiffers(detail: string): boolean {
  const s = sides(detail);
  if (!s) return false;
  const [a, b] = s.map((x) => JSON.parse(x) as unknown[]);
  return a.length === b.length && a.every((v, i) => i === 3 || JSON.stringify(v) === JSON.stringify(b[i]));
}

/** Column values are [position, type, not null, default, identity, generated]; only NOT NULL may go. */
function onlyNotNullDropped(detail: string): boolean {
  const s = sides(detail);
  if (!s) return false;
  const [a, b] = s.map((x) => JSON.parse(x) as unknown[]);
  const same = a.length === b.length && a.every((v, i) => i === 2 || JSON.stringify(v) === JSON.stringify(b[i]));
  return same && a[2] === true && b[2] === false;
}

function onlySearchPathDiffers(detail: string): boolean {
  const s = sides(detail);
  if (!s) return false;
  const strip = (def: string) => (JSON.parse(def) as string).replace(/\n SET search_path TO [^\n]*/g, '');
  return strip(s[0]) === strip(s[1]);
}
