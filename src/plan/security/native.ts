import type { Snapshot } from '../../introspect/snapshot';

const API_ROLES = new Set(['anon', 'authenticated', 'service_role']);
const AUTH_CALL = /\bauth\.(uid|jwt|role|email)\s*\(/i;

/**
 * A source that was a Supabase project already (a Supabase migration set): its policies and
 * grants name the API roles or read the JWT. Its owner-rights views and its function privileges
 * were decided for the Data API and are carried; a plain Postgres source never made that choice.
 */
export function supabaseNative(snapshot: Snapshot): boolean {
  if (
    snapshot.policies.some(
      (p) => p.roles.some((r) => API_ROLES.has(r)) || AUTH_CALL.test(`${p.using ?? ''} ${p.withCheck ?? ''}`),
    )
  )
    return true;
  // Supabase's default privileges leave their mark on every table in public: anon and authenticated.
  const exposed = snapshot.tables.filter((t) => t.schema === 'public');
  const granted = (t: { grants: { grantee: string }[] }, role: string) => t.grants.some((g) => g.grantee === role);
  return exposed.length > 0 && exposed.every((t) => granted(t, 'anon') && granted(t, 'authenticated'));
}
