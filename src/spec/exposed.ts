import type { Spec } from './types';

/** The target schemas the Data API serves: the spec's `security.exposed_schemas`, or Supabase's default. */
export function exposedSchemas(spec: Pick<Spec, 'security'>): string[] {
  return spec.security.exposedSchemas ?? ['public'];
}
