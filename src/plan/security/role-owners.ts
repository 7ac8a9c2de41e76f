import { routineObject, unsupportedObjects } from '../../analyze/unsupported';
import type { Routine, Snapshot } from '../../introspect/snapshot';
import type { SchemaMapping, SourceRoleTreatment } from '../../spec/types';
import { selectObjects } from '../schema/select';
import { ident, qname } from '../../sql';
import { step } from '../schema/step';
import type { Step } from '../types';

const ROUTINE_WORD: Record<Routine['kind'], string> = { f: 'function', w: 'function', p: 'procedure', a: 'aggregate' };

interface Owned {
  /** `schema "s"`, `table "s"."t"`, `function "s"."f"(args)`, ... */
  object: string;
  /** The source schema the object lives in; null for a schema. */
  schema: string | null;
}

/** Each object the plan creates whose source owner is `role`, schemas first. */
function ownedObjects(snapshot: Snapshot, mapping: SchemaMapping, role: string, schemaOf: (s: string) => string) {
  const selected = selectObjects(snapshot, mapping);
  const skipped = new Set(unsupportedObjects(snapshot).map((u) => u.object));
  const objects: Owned[] = [];
  // The public schema is the target's own (Supabase's): the plan never creates it.
  for (const s of selected.schemas)
    if (s.owner === role && s.name !== 'public')
      objects.push({ object: `schema ${ident(schemaOf(s.name))}`, schema: null });
  // A table's owned sequences (serial, identity) follow it; each partition is a table of its own.
  for (const t of selected.tables)
    if (t.owner === role) objects.push({ object: `table ${qname(schemaOf(t.schema), t.name)}`, schema: t.schema });
  for (const v of selected.views)
    if (v.owner === role) {
      const kind = v.materialized ? 'materialized view' : 'view';
      objects.push({ object: `${kind} ${qname(schemaOf(v.schema), v.name)}`, schema: v.schema });
    }
  for (const r of selected.functions)
    if (r.owner === role && !skipped.has(routineObject(r))) {
      const object = `${ROUTINE_WORD[r.kind]} ${qname(schemaOf(r.schema), r.name)}(${r.identityArgs})`;
      objects.push({ object, schema: r.schema });
    }
  // The same plan whatever order the snapshot lists them in: schemas, then the rest by name.
  const key = (o: Owned) => `${o.schema === null ? 0 : 1}\u0000${o.object}`;
  return objects.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 * Schemas where the role needs CREATE for the moment of the hand-over (Postgres asks it of a new
 * owner) and neither owns the schema nor was granted CREATE on it by the source: granted before,
 * revoked after, so the role ends with the source's privileges.
 */
function lentCreate(snapshot: Snapshot, role: string, objects: Owned[]): string[] {
  const owned = new Set(snapshot.schemas.filter((s) => s.owner === role).map((s) => s.name));
  const granted = new Set(
    (snapshot.roleGrants ?? [])
      .filter((g) => g.grantee === role && g.kind === 'schema' && g.privilege === 'CREATE')
      .map((g) => g.schema),
  );
  const schemas = objects.flatMap((o) => (o.schema === null ? [] : [o.schema]));
  return [...new Set(schemas)].filter((s) => !owned.has(s) && !granted.has(s)).sort();
}

/**
 * Ownership by the source's own roles, where the spec asks for it (`owns: true` on a created
 * role); otherwise the migrating user owns everything, as a Supabase dump does. The migrating
 * user is made a member of the role first: Postgres lets only a member hand an object to a role,
 * and on Supabase `postgres`, not a superuser, must keep altering these objects in later
 * migrations. Postgres also asks the new owner for CREATE on the object's schema: where the
 * source did not grant it, it is lent for the hand-over only. The down gives the objects back to
 * the user who rolls back. Owners bypass row level security on their tables, as on the source.
 */
export function roleOwnerSteps(
  snapshot: Snapshot,
  roles: Record<string, SourceRoleTreatment> | undefined,
  schemaOf: (s: string) => string,
  mapping: SchemaMapping,
): Step[] {
  return Object.keys(roles ?? {})
    .sort()
    .flatMap((name) => {
      const treatment = roles?.[name];
      if (treatment?.treatment !== 'create' || treatment.owns !== true) return [];
      const objects = ownedObjects(snapshot, mapping, name, schemaOf);
      if (objects.length === 0) return [];
      const lent = lentCreate(snapshot, name, objects).map((s) => `on schema ${ident(schemaOf(s))}`);
      const up = [
        `grant ${ident(name)} to current_user;`,
        ...lent.map((on) => `grant create ${on} to ${ident(name)};`),
        ...objects.map((o) => `alter ${o.object} owner to ${ident(name)};`),
        ...lent.map((on) => `revoke create ${on} from ${ident(name)};`),
      ];
      const down = [...objects].reverse().map((o) => `alter ${o.object} owner to current_user;`);
      return [step(`security:role-owner:${name}`, 'security', 'role-owner', up.join('\n'), down.join('\n'))];
    });
}
