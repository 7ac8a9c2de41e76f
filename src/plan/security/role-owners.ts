import { routineObject, unsupportedObjects } from '../../analyze/unsupported';
import type { Routine, Snapshot } from '../../introspect/snapshot';
import type { SchemaMapping, SourceRoleTreatment } from '../../spec/types';
import { selectObjects } from '../schema/select';
import { ident, qname } from '../../sql';
import { step } from '../schema/step';
import type { Step } from '../types';

const ROUTINE_WORD: Record<Routine['kind'], string> = { f: 'function', w: 'function', p: 'procedure', a: 'aggregate' };

/** `alter <kind> <object>` of each object the plan creates whose source owner is `role`. */
function ownedObjects(snapshot: Snapshot, mapping: SchemaMapping, role: string, schemaOf: (s: string) => string) {
  const selected = selectObjects(snapshot, mapping);
  const skipped = new Set(unsupportedObjects(snapshot).map((u) => u.object));
  const objects: string[] = [];
  // The public schema is the target's own (Supabase's): the plan never creates it.
  for (const s of selected.schemas)
    if (s.owner === role && s.name !== 'public') objects.push(`schema ${ident(schemaOf(s.name))}`);
  // A table's owned sequences (serial, identity) follow it; each partition is a table of its own.
  for (const t of selected.tables) if (t.owner === role) objects.push(`table ${qname(schemaOf(t.schema), t.name)}`);
  for (const v of selected.views)
    if (v.owner === role)
      objects.push(`${v.materialized ? 'materialized view' : 'view'} ${qname(schemaOf(v.schema), v.name)}`);
  for (const r of selected.functions)
    if (r.owner === role && !skipped.has(routineObject(r)))
      objects.push(`${ROUTINE_WORD[r.kind]} ${qname(schemaOf(r.schema), r.name)}(${r.identityArgs})`);
  return objects;
}

/**
 * Ownership by the source's own roles, where the spec asks for it (`owns: true` on a created
 * role); otherwise the migrating user owns everything, as a Supabase dump does. The migrating
 * user is made a member of the role first: Postgres lets only a member hand an object to a role,
 * and on Supabase `postgres`, not a superuser, must keep altering these objects in later
 * migrations. The role must hold CREATE on the objects' schemas (a grant the source had is
 * re-granted by the role-grants step before this one). The down gives them back to the user who
 * rolls back. Owners bypass row level security on their tables, as they did on the source.
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
      const up = [
        `grant ${ident(name)} to current_user;`,
        ...objects.map((o) => `alter ${o} owner to ${ident(name)};`),
      ];
      const down = [...objects].reverse().map((o) => `alter ${o} owner to current_user;`);
      return [step(`security:role-owner:${name}`, 'security', 'role-owner', up.join('\n'), down.join('\n'))];
    });
}
