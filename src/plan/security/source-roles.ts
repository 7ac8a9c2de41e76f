import type { RoleGrant, Snapshot } from '../../introspect/snapshot';
import type { SourceRoleTreatment } from '../../spec/types';
import { ident, literal, qname } from '../../sql';
import { step } from '../schema/step';
import type { Step } from '../types';

/** What the plan does with a role the spec does not name: create it, unable to log in. */
export const DEFAULT_TREATMENT: SourceRoleTreatment = { treatment: 'create', login: false };

/** The source's own roles that hold grants, by name (code-point order). */
export function sourceRoleNames(snapshot: Snapshot): string[] {
  return [...new Set((snapshot.roleGrants ?? []).map((g) => g.grantee))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
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

function grantLines(
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
 * Supabase role instead. Pure: one role step (create only) and one grants step per role.
 */
export function sourceRoleSteps(
  snapshot: Snapshot,
  roles: Record<string, SourceRoleTreatment> | undefined,
  schemaOf: (s: string) => string,
  schemaStepIds?: ReadonlySet<string>,
): Step[] {
  const carried = schemaStepIds ? carriedObjects(schemaStepIds) : null;
  const grants = sortedGrants(snapshot.roleGrants ?? []).filter(
    (g) => carried === null || isCarried(g, snapshot, schemaOf, carried),
  );
  return sourceRoleNames(snapshot).flatMap((name) => {
    const treatment = roles?.[name] ?? DEFAULT_TREATMENT;
    const to = treatment.treatment === 'map' ? treatment.to : name;
    const { up, down } = grantLines(
      grants.filter((g) => g.grantee === name),
      to,
      schemaOf,
    );
    const grantStep = step(`security:role-grants:${name}`, 'security', 'role-grants', up.join('\n'), down.join('\n'));
    return treatment.treatment === 'create' ? [createRoleStep(name, treatment.login), grantStep] : [grantStep];
  });
}

/**
 * The objects the schema plan creates, keyed as `objectKey` keys a grant: a grant on an object
 * the plan leaves out (a foreign table of a wrapper Supabase lacks, an excluded table) goes with it.
 */
function carriedObjects(ids: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const id of ids) {
    const colon = id.indexOf(':');
    const kind = id.slice(0, colon);
    const rest = id.slice(colon + 1);
    if (kind === 'schema') out.add(`schema ${rest}`);
    else if (RELATION_STEPS.includes(kind)) out.add(`relation ${rest}`);
    else if (TYPE_STEPS.includes(kind)) out.add(`type ${rest}`);
    else if (kind === 'function' || kind === 'procedure' || kind === 'aggregate')
      out.add(`routine ${rest.slice(0, rest.indexOf('('))}`);
  }
  return out;
}

const RELATION_STEPS = ['table', 'view', 'materialized-view', 'foreign-table', 'sequence'];
const TYPE_STEPS = ['enum', 'domain', 'composite', 'range', 'type'];

function isCarried(g: RoleGrant, snapshot: Snapshot, schemaOf: (s: string) => string, carried: Set<string>): boolean {
  const name = `${schemaOf(g.schema)}.${g.name}`;
  switch (g.kind) {
    case 'schema':
      // public is on every target; other schemas are made by the plan when it keeps them.
      return g.schema === 'public' || carried.has(`schema ${schemaOf(g.schema)}`);
    case 'function':
    case 'procedure':
      return carried.has(`routine ${name}`);
    case 'type':
    case 'domain':
      return carried.has(`type ${name}`);
    case 'sequence': {
      // A serial's sequence comes with its table; an identity's is not in the list and does too.
      const seq = snapshot.sequences.find((x) => x.schema === g.schema && x.name === g.name);
      if (!seq) return true;
      const owner = seq.ownedBy?.split('.').slice(0, 2).join('.');
      return (
        carried.has(`relation ${name}`) ||
        (owner !== undefined && carried.has(`relation ${schemaOfQualified(owner, schemaOf)}`))
      );
    }
    default:
      return carried.has(`relation ${name}`);
  }
}

function schemaOfQualified(qualifiedName: string, schemaOf: (s: string) => string): string {
  const [schema, name] = qualifiedName.split('.');
  return `${schemaOf(schema)}.${name}`;
}

/** The same plan whatever order the snapshot lists the grants in. */
function sortedGrants(grants: RoleGrant[]): RoleGrant[] {
  const key = (g: RoleGrant) => [g.grantee, g.kind, g.schema, g.name, g.detail ?? '', g.privilege].join('\u0000');
  return [...grants].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
