import type { Snapshot } from '../../introspect/snapshot';
import type { Spec } from '../../spec/types';
import { step } from '../schema/step';
import type { Step } from '../types';
import { ident, qname } from '../../sql';
import type { SecurityContext } from './context';
import { supabaseNative } from './native';
import { routineKey, routines } from './search-path';
import { grantLines, grantsOnPlanned, sortedGrants } from './source-roles';
import { exposedSchemas } from '../../spec/exposed';

const API_ROLES = ['anon', 'authenticated', 'service_role'];

/**
 * What a Supabase source granted anon, authenticated and service_role outside the schemas the
 * Data API exposes (basejump's `grant usage on schema basejump to authenticated`, its tables and
 * functions): re-granted exactly, on the objects the plan creates. The Data API cannot reach
 * these schemas, so nothing opens to a request; without them, policies and RPCs that read there
 * fail with 42501 for signed-in users. Inside exposed schemas the security section decides alone.
 */
export function apiGrantSteps(snapshot: Snapshot, spec: Spec, schemaOf: (s: string) => string): Step[] {
  const exposed = new Set(exposedSchemas(spec));
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

/**
 * A Supabase source's EXECUTE grants on its other (not SECURITY DEFINER) functions in exposed
 * schemas, kept exactly: Supabase's default privileges would otherwise let anon and
 * authenticated call through the API what the source kept for service_role (basejump's
 * service_role_upsert_customer_subscription). Needs the source's grants in the snapshot.
 */
export function nativeExecuteSteps(ctx: SecurityContext): Step[] {
  if (ctx.snapshot.apiGrants === undefined || !supabaseNative(ctx.snapshot)) return [];
  const exposed = new Set(exposedSchemas(ctx.spec));
  const callers = new Map<string, string[]>();
  for (const g of ctx.snapshot.apiGrants)
    if ((g.kind === 'function' || g.kind === 'procedure') && g.privilege === 'EXECUTE') {
      const key = `${g.schema}.${g.name}(${g.detail ?? ''})`;
      callers.set(key, [...(callers.get(key) ?? []), g.grantee]);
    }
  return routines(ctx)
    .filter(({ f, schema }) => !f.securityDefiner && exposed.has(schema))
    .map(({ f, schema }) => {
      const routine = `${f.kind === 'p' ? 'procedure' : 'function'} ${qname(schema, f.name)}(${f.identityArgs})`;
      const kept = callers.get(`${f.schema}.${f.name}(${f.identityArgs})`) ?? [];
      const to = [...new Set([...kept, 'service_role'])].sort().map((r) => (r === 'public' ? r : ident(r)));
      const up = [
        `revoke execute on ${routine} from public, anon, authenticated;`,
        `grant execute on ${routine} to ${to.join(', ')};`,
      ];
      return step(
        `security:api-execute:${routineKey(schema, f)}`,
        'security',
        'function-access',
        up.join('\n'),
        `grant execute on ${routine} to public;`,
      );
    });
}
