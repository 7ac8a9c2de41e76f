import type { Snapshot } from '../../introspect/snapshot';
import type { Spec } from '../../spec/types';
import { step } from '../schema/step';
import type { Step } from '../types';
import { grantLines, grantsOnPlanned, sortedGrants } from './source-roles';

const API_ROLES = ['anon', 'authenticated', 'service_role'];

/**
 * What a Supabase source granted anon, authenticated and service_role outside the schemas the
 * Data API exposes (basejump's `grant usage on schema basejump to authenticated`, its tables and
 * functions): re-granted exactly, on the objects the plan creates. The Data API cannot reach
 * these schemas, so nothing opens to a request; without them, policies and RPCs that read there
 * fail with 42501 for signed-in users. Inside exposed schemas the security section decides alone.
 */
export function apiGrantSteps(snapshot: Snapshot, spec: Spec, schemaOf: (s: string) => string): Step[] {
  const exposed = new Set(spec.security.exposedSchemas ?? ['public']);
  const grants = sortedGrants(grantsOnPlanned(snapshot, spec.schema, snapshot.apiGrants ?? [])).filter(
    (g) => !exposed.has(schemaOf(g.schema)),
  );
  return API_ROLES.flatMap((role) => {
    const { up, down } = grantLines(
      grants.filter((g) => g.grantee === role),
      role,
      schemaOf,
    );
    if (up.length === 0) return [];
    return [step(`security:api-grants:${role}`, 'security', 'api-grants', up.join('\n'), down.join('\n'))];
  });
}
