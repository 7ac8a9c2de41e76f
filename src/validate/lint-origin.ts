import type { Snapshot } from '../introspect/snapshot';
import { securityContext } from '../plan/security';
import { apiOperations } from '../plan/security/grants';
import { supabaseNative } from '../plan/security/native';
import type { Spec } from '../spec/types';
import type { LintFinding } from './lints';

/**
 * Where a lint finding on the target comes from: the plan caused it (validate fails), the source
 * had it already (listed, with the fix), or the spec or the source's policies opened the object on
 * purpose (listed). Findings of INFO level never fail.
 */
export type LintOrigin = 'plan' | 'source' | 'opened';

export interface ClassifiedLint extends LintFinding {
  origin: LintOrigin;
  fix: string;
}

// What the plan must never leave behind, whatever the source had: a plain Postgres source was not
// behind the Data API, so its tables without RLS were never an exposure there.
const PLAN_DUTY = new Set([
  'rls_disabled_in_public',
  'policy_exists_rls_disabled',
  'sensitive_columns_exposed',
  'materialized_view_in_api',
  'foreign_table_in_api',
  'anon_security_definer_function_executable',
  'authenticated_security_definer_function_executable',
  'auth_users_exposed',
  'insecure_queue_exposed_in_api',
  'security_definer_view',
]);

const FIXES: Record<string, string> = {
  rls_disabled_in_public: 'alter table ... enable row level security, then open it with a security pattern',
  policy_exists_rls_disabled: 'alter table ... enable row level security',
  sensitive_columns_exposed: 'enable row level security, or revoke select on the column from anon, authenticated',
  security_definer_view: 'alter view ... set (security_invoker = true)',
  materialized_view_in_api: 'revoke select on the materialized view from anon, authenticated',
  anon_security_definer_function_executable: 'revoke execute on function ... from public, anon',
  authenticated_security_definer_function_executable: 'revoke execute on function ... from public, authenticated',
  function_search_path_mutable:
    "alter function ... set search_path = '' (qualify names), or security.pin_search_path: all",
  auth_rls_initplan: 'write (select auth.uid()) instead of auth.uid() in the policy',
  multiple_permissive_policies: 'merge the permissive policies of one role and action into one',
  duplicate_index: 'drop one of the identical indexes',
  extension_in_public: 'alter extension ... set schema extensions',
  extension_versions_outdated: 'alter extension ... update',
  rls_policy_always_true: 'give the policy a real USING condition',
  pg_graphql_anon_table_exposed: 'revoke select from anon, or drop pg_graphql if GraphQL is not used',
  pg_graphql_authenticated_table_exposed: 'revoke select from authenticated, or drop pg_graphql if GraphQL is not used',
};

/** `schema.rest` of a source finding, in target schema names. */
function renamed(object: string, schemaOf: (s: string) => string): string {
  const dot = object.indexOf('.');
  return dot < 0 ? object : `${schemaOf(object.slice(0, dot))}${object.slice(dot)}`;
}

/** Tables the spec or the carried source policies open to an API role: GraphQL lists them by design. */
function openedTables(snapshot: Snapshot, spec: Spec): Set<string> {
  const ctx = securityContext(snapshot, spec);
  const opened = ctx.tables.filter(
    (t) => apiOperations(ctx, t, 'anon').length > 0 || apiOperations(ctx, t, 'authenticated').length > 0,
  );
  return new Set(opened.map((t) => `${t.schema}.${t.table.name}`));
}

/** `lint object` pairs the spec asked for by name: an owner-rights view, a materialized view opened to an API role. */
function openedViews(spec: Spec, schemaOf: (s: string) => string): Set<string> {
  const out = new Set<string>();
  for (const [key, access] of Object.entries(spec.security.views ?? {})) {
    const object = renamed(key, schemaOf);
    if (access.rights === 'owner') out.add(`security_definer_view ${object}`);
    if (access.open.length > 0) out.add(`materialized_view_in_api ${object}`);
  }
  return out;
}

export function classifyLints(
  target: LintFinding[],
  source: LintFinding[],
  snapshot: Snapshot,
  spec: Spec,
): ClassifiedLint[] {
  const ctx = securityContext(snapshot, spec);
  const native = supabaseNative(snapshot);
  const onSource = new Set(source.map((f) => `${f.name} ${renamed(f.object, ctx.schemaOf)}`));
  // The snapshot says it as well, without a connection to the source: functions it had unpinned.
  for (const fn of snapshot.functions.filter(
    (x) => (x.kind === 'f' || x.kind === 'p') && !/^ SET search_path\b/im.test(x.definition),
  )) {
    onSource.add(`function_search_path_mutable ${ctx.schemaOf(fn.schema)}.${fn.name}(${fn.identityArgs})`);
  }
  const opened = openedTables(snapshot, spec);
  const views = openedViews(spec, ctx.schemaOf);
  return target.map((f) => {
    const fix = FIXES[f.name] ?? 'see Supabase database advisor';
    if (f.name.startsWith('pg_graphql_') && opened.has(f.object)) return { ...f, origin: 'opened', fix };
    if (views.has(`${f.name} ${f.object}`)) return { ...f, origin: 'opened', fix };
    const carried = onSource.has(`${f.name} ${f.object}`) && (native || !PLAN_DUTY.has(f.name));
    return { ...f, origin: carried ? 'source' : 'plan', fix };
  });
}

/** Findings that fail validate: ERROR or WARN that the plan caused. */
export const failingLints = (lints: ClassifiedLint[]): ClassifiedLint[] =>
  lints.filter((l) => l.level !== 'INFO' && l.origin === 'plan');
