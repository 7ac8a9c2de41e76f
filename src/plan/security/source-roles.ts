import { foreignTableObject, routineObject, unsupportedObjects } from '../../analyze/unsupported';
import { isPlatformRole } from '../../introspect/roles';
import { qualified, type RoleGrant, type Snapshot } from '../../introspect/snapshot';
import type { SchemaMapping, SourceRoleTreatment } from '../../spec/types';
import { selectObjects } from '../schema/select';
import { ident, literal, qname } from '../../sql';
import { step } from '../schema/step';
import type { Step } from '../types';

/** What the plan does with a role the spec does not name: create it, unable to log in. */
export const DEFAULT_TREATMENT: SourceRoleTreatment = { treatment: 'create', login: false };

/** The source's own roles that hold grants or that policies name, by name (code-point order). */
export function sourceRoleNames(snapshot: Snapshot): string[] {
  const policies = [...snapshot.policies, ...(snapshot.storagePolicies ?? [])];
  const named = [...(snapshot.roleGrants ?? []).map((g) => g.grantee), ...policies.flatMap((p) => p.roles)];
  return [...new Set(named.filter((r) => !isPlatformRole(r)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The name a role has on the target: a mapped source role becomes the Supabase role the spec maps
 * it onto; a created one, and every role Postgres or Supabase already has, keeps its name.
 */
export function roleOnTarget(roles: Record<string, SourceRoleTreatment> | undefined, name: string): string {
  const treatment = roles?.[name];
  return treatment?.treatment === 'map' && !isPlatformRole(name) ? treatment.to : name;
}

/**
 * The grants on objects the plan creates. A grant on a relation or routine the plan leaves out
 * (skipped on purpose, such as a foreign table whose server Supabase cannot hold, or left out
 * by the spec) would stop apply with "does not exist"; the object's absence is reported already.
 */
export function grantsOnPlanned(
  snapshot: Snapshot,
  mapping: SchemaMapping,
  grants: RoleGrant[] = snapshot.roleGrants ?? [],
): RoleGrant[] {
  const selected = selectObjects(snapshot, mapping);
  const skipped = new Set(unsupportedObjects(snapshot).map((u) => u.object));
  const foreign = (selected.foreignTables ?? []).filter((t) => !skipped.has(foreignTableObject(t)));
  const relations = new Set([...selected.tables, ...selected.views, ...foreign].map(qualified));
  const routines = new Set(
    selected.functions.filter((r) => !skipped.has(routineObject(r))).map((r) => `${qualified(r)}(${r.identityArgs})`),
  );
  return grants.filter((g) => {
    const name = `${g.schema}.${g.name}`;
    if (g.kind === 'table' || g.kind === 'column') return relations.has(name);
    if (g.kind === 'function' || g.kind === 'procedure') return routines.has(`${name}(${g.detail ?? ''})`);
    return true;
  });
}

/** `on <kind> <object>` and the column list, with the schema as the target names it. */
function objectOf(g: RoleGrant, schemaOf: (s: string) => string): { on: string; columns: string } {
  const schema = schemaOf(g.schema);
  switch (g.kind) {
    case 'schema':
      return { on: `schema ${ident(schema)}`, columns: '' };
    case 'column':
      return { on: `table ${qname(schema, g.name)}`, columns: ` (${ident(g.detail ?? '')})` };
    case 'function':
    case 'procedure':
      return { on: `${g.kind} ${qname(schema, g.name)}(${g.detail ?? ''})`, columns: '' };
    default:
      return { on: `${g.kind} ${qname(schema, g.name)}`, columns: '' };
  }
}

export function grantLines(
  grants: RoleGrant[],
  to: string,
  schemaOf: (s: string) => string,
): { up: string[]; down: string[] } {
  const up: string[] = [];
  const down: string[] = [];
  for (const g of grants) {
    const { on, columns } = objectOf(g, schemaOf);
    const privilege = `${g.privilege.toLowerCase()}${columns}`;
    up.push(`grant ${privilege} on ${on} to ${ident(to)}${g.grantable ? ' with grant option' : ''};`);
    down.unshift(`revoke ${privilege} on ${on} from ${ident(to)}${g.grantable ? ' cascade' : ''};`);
  }
  return { up, down };
}

/**
 * Roles are cluster-wide: another database may have made it already, and another may still use
 * it when this one is rolled back, so the down drops it only when nothing anywhere depends on it.
 */
function createRoleStep(name: string, login: boolean): Step {
  const exists = `exists (select from pg_catalog.pg_roles where rolname = ${literal(name)})`;
  const used = `exists (select from pg_catalog.pg_shdepend d join pg_catalog.pg_roles r on r.oid = d.refobjid
      where r.rolname = ${literal(name)})`;
  return step(
    `security:role:${name}`,
    'security',
    'role',
    `do $role$ begin if not ${exists} then create role ${ident(name)} ${login ? 'login' : 'nologin'}; end if; end $role$;`,
    `do $role$ begin if ${exists} and not ${used} then drop role ${ident(name)}; end if; end $role$;`,
  );
}

/**
 * The source's own roles and what they were granted (issue 14, item 5). For each role, the spec's
 * treatment (create by default): `create` makes the role on the target (NOLOGIN unless the spec
 * says login) and grants it exactly what the source granted it; `map` grants the same to a
 * Supabase role instead. Pure: one role step (create only) and one grants step (when it grants
 * something) per role. The source's policies naming the role are carried by the schema plan.
 */
export function sourceRoleSteps(
  snapshot: Snapshot,
  roles: Record<string, SourceRoleTreatment> | undefined,
  schemaOf: (s: string) => string,
  mapping: SchemaMapping,
): Step[] {
  const grants = sortedGrants(grantsOnPlanned(snapshot, mapping));
  // A role that only owns objects holds no grant: it is made when the spec asks it to own them.
  const owners = Object.keys(roles ?? {}).filter((r) => {
    const t = roles?.[r];
    return t?.treatment === 'create' && t.owns === true;
  });
  const names = [...new Set([...sourceRoleNames(snapshot), ...owners])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.flatMap((name) => {
    const treatment = roles?.[name] ?? DEFAULT_TREATMENT;
    const to = treatment.treatment === 'map' ? treatment.to : name;
    const { up, down } = grantLines(
      grants.filter((g) => g.grantee === name),
      to,
      schemaOf,
    );
    // A role that only policies name holds no grant: nothing to grant.
    const grantSteps =
      up.length === 0
        ? []
        : [step(`security:role-grants:${name}`, 'security', 'role-grants', up.join('\n'), down.join('\n'))];
    return treatment.treatment === 'create' ? [createRoleStep(name, treatment.login), ...grantSteps] : grantSteps;
  });
}

/** The same plan whatever order the snapshot lists the grants in. */
export function sortedGrants(grants: RoleGrant[]): RoleGrant[] {
  const key = (g: RoleGrant) => [g.grantee, g.kind, g.schema, g.name, g.detail ?? '', g.privilege].join('\u0000');
  return [...grants].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
