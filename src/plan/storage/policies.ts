import type { ApiRole, BucketSpec, Operation, StorageAccess } from '../../spec/types';
import { ident, literal } from '../../sql';
import { step } from '../schema/step';
import type { Step } from '../types';
import { shortHash } from './keys';

const OPERATIONS: Operation[] = ['select', 'insert', 'update', 'delete'];
const ROLES: ApiRole[] = ['anon', 'authenticated'];

const claimPath = (claim: string[]): string =>
  `(select auth.jwt())${claim.map((c, i) => `${i === claim.length - 1 ? ' ->> ' : ' -> '}${literal(c)}`).join('')}`;

/**
 * The row condition a pattern adds to `bucket_id = '<bucket>'`, in Supabase's fast forms: auth
 * calls wrapped in a select (one evaluation per statement), the folder read with
 * storage.foldername. public_read has none: a public bucket serves downloads without RLS, and a
 * SELECT policy on it would let anyone list it (advisor: public_bucket_allows_listing).
 */
function condition(a: StorageAccess): { using: string | null; check: string | null } | null {
  switch (a.kind) {
    case 'owner_folder': {
      const c = '(storage.foldername(name))[1] = (select auth.uid())::text';
      return { using: c, check: c };
    }
    case 'tenant_folder': {
      const c = `(storage.foldername(name))[1] = (${claimPath(a.claim)})`;
      return { using: c, check: c };
    }
    case 'authenticated_read':
      return { using: null, check: null };
    case 'custom':
      return { using: a.using, check: a.withCheck ?? a.using };
    case 'public_read':
      return null;
  }
}

/** Postgres cuts names at 63 bytes; a long bucket name keeps a hash so two policies never share a name. */
export function storagePolicyName(bucket: string, role: ApiRole, op: Operation): string {
  const name = `${bucket}: ${role} can ${op}`;
  if (Buffer.byteLength(name) <= 63) return name;
  return `${bucket.slice(0, 30)}~${shortHash(bucket)}: ${role} can ${op}`;
}

const joined = (bucket: string, parts: (string | null)[]): string => {
  const own = `bucket_id = ${literal(bucket)}`;
  if (parts.includes(null)) return own;
  const unique = [...new Set(parts as string[])];
  return `${own} and (${unique.length === 1 ? unique[0] : unique.map((p) => `(${p})`).join(' or ')})`;
};

/** One permissive policy on storage.objects per role and action that some pattern opens. */
export function bucketPolicySteps(bucket: BucketSpec): Step[] {
  const steps: Step[] = [];
  for (const op of OPERATIONS) {
    for (const role of ROLES) {
      const conds = bucket.access
        .filter((a) => a.operations.includes(op) && a.roles.includes(role))
        .map(condition)
        .filter((c) => c !== null);
      if (conds.length === 0) continue;
      const name = storagePolicyName(bucket.name, role, op);
      const lines = [
        `create policy ${ident(name)} on storage.objects`,
        '  as permissive',
        `  for ${op}`,
        `  to ${role}`,
      ];
      if (op !== 'insert')
        lines.push(
          `  using (${joined(
            bucket.name,
            conds.map((c) => c.using),
          )})`,
        );
      if (op === 'insert' || op === 'update')
        lines.push(
          `  with check (${joined(
            bucket.name,
            conds.map((c) => c.check),
          )})`,
        );
      steps.push(
        step(
          `storage:policy:${bucket.name}.${op}.${role}`,
          'security',
          'policy',
          `${lines.join('\n')};`,
          `drop policy ${ident(name)} on storage.objects;`,
        ),
      );
    }
  }
  return steps;
}
