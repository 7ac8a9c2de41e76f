import type { Snapshot } from '../introspect/snapshot';
import { sourceRoleNames } from '../plan/security/source-roles';
import { comment } from './comments';

const yamlKey = (v: string): string => (/^[A-Za-z_][A-Za-z0-9_$]*$/.test(v) ? v : JSON.stringify(v));

/** "select on 3 tables, usage on 1 schema": what one role holds, counted per privilege and kind. */
export function grantSummary(snapshot: Snapshot, role: string): string {
  const counts = new Map<string, number>();
  for (const g of snapshot.roleGrants ?? [])
    if (g.grantee === role) {
      const key = `${g.privilege.toLowerCase()} on ${g.kind}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  return [...counts]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, n]) => `${key.replace(/ on /, ` on ${n} `)}${n === 1 ? '' : 's'}`)
    .join(', ');
}

/** "holds select on 3 tables; named in 2 policies": what a role's treatment decides. */
function roleUses(snapshot: Snapshot, role: string): string {
  const grants = grantSummary(snapshot, role);
  const policies = [...snapshot.policies, ...(snapshot.storagePolicies ?? [])].filter((p) => p.roles.includes(role));
  const named = `named in ${policies.length} ${policies.length === 1 ? 'policy' : 'policies'}`;
  if (policies.length === 0) return `holds ${grants}`;
  return grants === '' ? `holds no grant; ${named}` : `holds ${grants}; ${named}`;
}

/**
 * The `roles:` block of the security section: one treatment per source role. A role that can log
 * in is how a backend connected, and on Supabase a backend connects as service_role, so it is
 * proposed mapped onto service_role; a group role (NOLOGIN) is proposed created as it is.
 */
export function sourceRoleLines(snapshot: Snapshot): string[] {
  const names = sourceRoleNames(snapshot);
  if (names.length === 0) return [];
  const login = new Set(snapshot.roles.filter((r) => r.canLogin).map((r) => r.name));
  const lines = [
    comment("The source's own roles, which its objects are granted to. create: the role is made on the target", '  '),
    comment(
      "(NOLOGIN unless login: true) with exactly the source's grants; map: the grants go to a Supabase role.",
      '  ',
    ),
    '  roles:',
  ];
  for (const name of names) {
    const key = yamlKey(name);
    const create = `${key}: { treatment: create }`;
    const map = `${key}: { treatment: map, to: service_role }`;
    const loginRole = login.has(name);
    lines.push(
      comment(
        `${name} ${loginRole ? 'can log in' : 'cannot log in'} at the source; ${roleUses(snapshot, name)}`,
        '    ',
      ),
      `    ${loginRole ? map : create}`,
      comment(`or: ${loginRole ? create : map}`, '    '),
    );
    const owned = ownedCount(snapshot, name);
    if (owned > 0)
      lines.push(
        comment(
          `${name} owns ${owned} object${owned === 1 ? '' : 's'} at the source; with create, owns: true keeps that`,
          '    ',
        ),
      );
  }
  return lines;
}

/** Schemas, relations and routines the role owns at the source. */
function ownedCount(snapshot: Snapshot, role: string): number {
  const owners = [...snapshot.schemas, ...snapshot.tables, ...snapshot.views, ...snapshot.functions].map(
    (o) => o.owner,
  );
  return owners.filter((o) => o === role).length;
}
