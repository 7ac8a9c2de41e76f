import { membership, role, roleBypassesRls, type Requirement } from './requirement';

/** The roles PostgREST switches to per request; every grant the engine emits names them. */
export const API_ROLES = ['anon', 'authenticated', 'service_role'] as const;

export const ROLE_REQUIREMENTS: readonly Requirement[] = [
  role('anon', 'nologin noinherit'),
  role('authenticated', 'nologin noinherit'),
  role('service_role', 'nologin noinherit bypassrls'),
  // An existing service_role without BYPASSRLS would make service-key calls see filtered rows.
  roleBypassesRls('service_role'),
  role('authenticator', 'login noinherit'),
  membership('authenticator', API_ROLES),
];
