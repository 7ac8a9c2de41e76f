import type { Snapshot } from '../../introspect/snapshot';
import type { Spec } from '../../spec/types';
import type { GeneratedFile, Step } from '../types';
import { authUsersSteps } from './auth-users';
import { checkSecuritySpec } from './check';
import { securityContext, tableKey } from './context';
import { tableAccessStep } from './grants';
import { helperSteps } from './helpers';
import { policyIndexSteps } from './indexes';
import { realtimeSteps } from './realtime';
import { securityPolicySteps } from './policies';
import { definerExecuteSteps, searchPathSteps } from './search-path';
import { viewSteps } from './views';
import { sourceRoleSteps } from './source-roles';
import { roleOwnerSteps } from './role-owners';
import { apiGrantSteps, nativeExecuteSteps } from './api-grants';
import { pgtapFiles } from './pgtap';

export { securityContext } from './context';
export { roleOnTarget } from './source-roles';

/**
 * Spec security patterns -> RLS, grants, policies, supporting indexes and helper functions.
 * Pure; throws a UserError when the spec names tables or columns the source does not have.
 */
export function planSecurity(snapshot: Snapshot, spec: Spec): { steps: Step[]; files: GeneratedFile[] } {
  const ctx = securityContext(snapshot, spec);
  checkSecuritySpec(ctx);
  const steps = [
    ...authUsersSteps(ctx),
    ...helperSteps(ctx),
    ...policyIndexSteps(ctx),
    ...ctx.tables.flatMap((t) => [tableAccessStep(ctx, t), ...securityPolicySteps(t)]),
    ...viewSteps(ctx),
    ...searchPathSteps(ctx),
    ...definerExecuteSteps(ctx),
    ...nativeExecuteSteps(ctx),
    ...realtimeSteps(ctx),
    ...sourceRoleSteps(snapshot, spec.security.roles, ctx.schemaOf, spec.schema),
    ...roleOwnerSteps(snapshot, spec.security.roles, ctx.schemaOf, spec.schema),
    ...apiGrantSteps(snapshot, spec, ctx.schemaOf),
  ];
  return { steps, files: pgtapFiles(ctx) };
}

/**
 * Leaves out the source's own policies on tables the security spec governs, so the spec alone
 * decides who reaches their rows. Where the source had RLS and the spec does not name the table,
 * the source's policies stay: they are the truth about who reads what.
 */
export function withoutReplacedPolicies(steps: Step[], snapshot: Snapshot, spec: Spec): Step[] {
  const ctx = securityContext(snapshot, spec);
  const governed = new Set(ctx.tables.filter((t) => !t.carried).map((t) => t.key));
  const replaced = new Set(
    snapshot.policies
      .filter((p) => governed.has(tableKey({ schema: p.schema, name: p.table })))
      .map((p) => `policy:${ctx.schemaOf(p.schema)}.${p.table}.${p.name}`),
  );
  return steps.filter((s) => !replaced.has(s.id));
}
