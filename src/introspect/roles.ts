import type { Role, Snapshot } from './snapshot';
import { sortByKeys, sortedUnique } from './catalog';
import type { Db } from '../db';

/** Roles that every Postgres or every Supabase project already has; they are never re-created. */
const PLATFORM_ROLES = [
  'postgres',
  'public',
  'anon',
  'authenticated',
  'service_role',
  'authenticator',
  'dashboard_user',
  'pgbouncer',
];

export function isPlatformRole(name: string): boolean {
  return PLATFORM_ROLES.includes(name) || name.startsWith('pg_') || name.startsWith('supabase_');
}

/** Names of the roles the introspected objects mention: owners, grantees, policy roles. */
export function referencedRoles(s: Omit<Snapshot, 'roles'>): string[] {
  const names = [
    ...s.schemas.map((x) => x.owner),
    ...s.tables.flatMap((t) => [t.owner, ...t.grants.map((g) => g.grantee)]),
    ...s.views.flatMap((v) => [v.owner, ...v.grants.map((g) => g.grantee)]),
    ...s.functions.map((f) => f.owner),
    ...s.policies.flatMap((p) => p.roles),
  ];
  return sortedUnique(names.filter((n) => !isPlatformRole(n)));
}

interface RoleRow {
  name: string;
  can_login: boolean;
  superuser: boolean;
  bypass_rls: boolean;
  member_of: string[];
}

export async function readRoles(db: Db, names: string[]): Promise<Role[]> {
  if (names.length === 0) return [];
  const { rows } = await db.query<RoleRow>(
    `
    select r.rolname::text as name, r.rolcanlogin as can_login, r.rolsuper as superuser, r.rolbypassrls as bypass_rls,
      array(select g.rolname::text from pg_catalog.pg_auth_members m join pg_catalog.pg_roles g on g.oid = m.roleid
        where m.member = r.oid order by g.rolname collate "C") as member_of
    from pg_catalog.pg_roles r
    where r.rolname in (select pg_catalog.jsonb_array_elements_text($1::jsonb))
    order by r.rolname collate "C"`,
    [JSON.stringify(names)],
  );
  return sortByKeys(rows, (r) => [r.name]).map((r) => ({
    name: r.name,
    canLogin: r.can_login,
    superuser: r.superuser,
    bypassRls: r.bypass_rls,
    memberOf: sortedUnique(r.member_of),
  }));
}
