import { ident, literal, qname } from '../sql';

/**
 * One thing a Supabase-shaped database must have: a name for reports, a SQL boolean
 * expression that is true when it is already there, and the SQL that creates it.
 * Checks never fail on a missing schema or role (to_reg* and pg_roles lookups return NULL),
 * so all of them can be evaluated in one query against an empty database.
 */
export interface Requirement {
  readonly name: string;
  readonly check: string;
  readonly create: string;
}

export type Column = readonly [name: string, definition: string];

export function requirement(name: string, check: string, create: string): Requirement {
  return Object.freeze({ name, check, create });
}

function roleOid(role: string): string {
  return `(select oid from pg_catalog.pg_roles where rolname = ${literal(role)})`;
}

/** Created in a DO block: roles are cluster-wide, so another database's bootstrap may race us. */
export function role(name: string, attributes: string): Requirement {
  return requirement(
    `role ${name}`,
    `exists (select from pg_catalog.pg_roles where rolname = ${literal(name)})`,
    tolerateConcurrentDuplicate(
      `if not exists (select from pg_catalog.pg_roles where rolname = ${literal(name)}) then create role ${ident(name)} ${attributes}; end if;`,
    ),
  );
}

export function roleBypassesRls(name: string): Requirement {
  return requirement(
    `role ${name} bypassrls`,
    `coalesce((select rolbypassrls from pg_catalog.pg_roles where rolname = ${literal(name)}), false)`,
    `alter role ${ident(name)} bypassrls;`,
  );
}

export function membership(member: string, granted: readonly string[]): Requirement {
  const grants = granted.map((g) => `grant ${ident(g)} to ${ident(member)};`).join(' ');
  return requirement(
    `membership ${member} in ${granted.join(', ')}`,
    `(select count(distinct roleid) from pg_catalog.pg_auth_members where member = ${roleOid(member)} and roleid in (${granted.map(roleOid).join(', ')})) = ${granted.length}`,
    tolerateConcurrentDuplicate(grants),
  );
}

function tolerateConcurrentDuplicate(body: string): string {
  return `do $bootstrap$ begin ${body} exception when duplicate_object or unique_violation then null; end $bootstrap$;`;
}

export function schema(name: string): Requirement {
  return requirement(
    `schema ${name}`,
    `pg_catalog.to_regnamespace(${literal(name)}) is not null`,
    `create schema if not exists ${ident(name)};`,
  );
}

export function table(
  schemaName: string,
  name: string,
  columns: readonly Column[],
  constraints: readonly string[] = [],
): Requirement {
  const body = [...columns.map(([col, def]) => `${ident(col)} ${def}`), ...constraints].join(',\n  ');
  return requirement(
    `table ${schemaName}.${name}`,
    `pg_catalog.to_regclass(${literal(`${schemaName}.${name}`)}) is not null`,
    `create table if not exists ${qname(schemaName, name)} (\n  ${body}\n);`,
  );
}

export function rowLevelSecurity(schemaName: string, name: string): Requirement {
  return requirement(
    `row level security on ${schemaName}.${name}`,
    `coalesce((select relrowsecurity from pg_catalog.pg_class where oid = pg_catalog.to_regclass(${literal(`${schemaName}.${name}`)})), false)`,
    `alter table ${qname(schemaName, name)} enable row level security;`,
  );
}

/** `signature` is the argument types as to_regprocedure reads them, e.g. `text`. */
export function sqlFunction(
  schemaName: string,
  name: string,
  params: string,
  signature: string,
  returns: string,
  volatility: string,
  body: string,
): Requirement {
  const display = `${schemaName}.${name}(${signature})`;
  return requirement(
    `function ${display}`,
    `pg_catalog.to_regprocedure(${literal(display)}) is not null`,
    `create or replace function ${qname(schemaName, name)}(${params}) returns ${returns}\n  language sql ${volatility}\n  as $body$ ${body} $body$;`,
  );
}

/** True when every role holds every privilege in the ACL explicitly (a PUBLIC grant does not count). */
function aclHolds(aclSql: string, roles: readonly string[], privileges: readonly string[]): string {
  const names = roles.map(literal).join(', ');
  const privs = privileges.map((p) => literal(p.toUpperCase())).join(', ');
  return `(select count(distinct (r.rolname, a.privilege_type)) from pg_catalog.aclexplode(${aclSql}) a join pg_catalog.pg_roles r on r.oid = a.grantee where r.rolname in (${names}) and a.privilege_type in (${privs})) = ${roles.length * privileges.length}`;
}

function roleList(roles: readonly string[]): string {
  return roles.map(ident).join(', ');
}

export function schemaUsage(name: string, roles: readonly string[]): Requirement {
  return requirement(
    `usage on schema ${name} to ${roles.join(', ')}`,
    aclHolds(`(select nspacl from pg_catalog.pg_namespace where nspname = ${literal(name)})`, roles, ['usage']),
    `grant usage on schema ${ident(name)} to ${roleList(roles)};`,
  );
}

export function tablePrivileges(
  schemaName: string,
  name: string,
  privileges: readonly string[],
  roles: readonly string[],
): Requirement {
  return requirement(
    `${privileges.join(', ')} on ${schemaName}.${name} to ${roles.join(', ')}`,
    aclHolds(
      `(select relacl from pg_catalog.pg_class where oid = pg_catalog.to_regclass(${literal(`${schemaName}.${name}`)}))`,
      roles,
      privileges,
    ),
    `grant ${privileges.join(', ')} on table ${qname(schemaName, name)} to ${roleList(roles)};`,
  );
}

/** `signature` as in sqlFunction. */
export function functionExecute(
  schemaName: string,
  name: string,
  signature: string,
  roles: readonly string[],
): Requirement {
  const display = `${schemaName}.${name}(${signature})`;
  return requirement(
    `execute on ${display} to ${roles.join(', ')}`,
    aclHolds(
      `(select proacl from pg_catalog.pg_proc where oid = pg_catalog.to_regprocedure(${literal(display)}))`,
      roles,
      ['execute'],
    ),
    `grant execute on function ${qname(schemaName, name)}(${signature}) to ${roleList(roles)};`,
  );
}

export function publication(name: string): Requirement {
  return requirement(
    `publication ${name}`,
    `exists (select from pg_catalog.pg_publication where pubname = ${literal(name)})`,
    `do $bootstrap$ begin if not exists (select from pg_catalog.pg_publication where pubname = ${literal(name)}) then create publication ${ident(name)}; end if; end $bootstrap$;`,
  );
}
