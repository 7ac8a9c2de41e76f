import { qualified, type Snapshot } from '../../introspect/snapshot';
import type { Risk } from '../types';
import {
  AVAILABLE_EXTENSIONS,
  RESERVED_SCHEMAS,
  SUPERUSER_EXTENSIONS,
  UNAVAILABLE_EXTENSIONS,
  UNTRUSTED_LANGUAGES,
  isPlatformRole,
} from './supabase';

/** Risks about what the Supabase platform allows: extensions, privileges, reserved names. */

export function extensionRisks(snapshot: Snapshot): Risk[] {
  return snapshot.extensions.flatMap((ext): Risk[] => {
    if (AVAILABLE_EXTENSIONS.has(ext.name)) return [];
    if (SUPERUSER_EXTENSIONS.has(ext.name)) {
      return [
        {
          code: 'superuser-only-object',
          severity: 'high',
          object: `extension ${ext.name}`,
          why: `${ext.name} reads files on the database server and needs superuser; Supabase does not offer it`,
          mitigation:
            'load the files with COPY from the client or a storage bucket, or read them through the wrappers extension',
        },
      ];
    }
    if (UNAVAILABLE_EXTENSIONS.has(ext.name)) {
      return [
        {
          code: 'extension-unavailable',
          severity: 'high',
          object: `extension ${ext.name}`,
          why: `Supabase does not offer ${ext.name}; objects that use it will fail to create`,
          mitigation: `drop the dependency on ${ext.name} before migrating, or replace it (foreign data: wrappers)`,
        },
      ];
    }
    return [
      {
        code: 'extension-unknown',
        severity: 'medium',
        object: `extension ${ext.name}`,
        why: `${ext.name} is not on the list of extensions known to be available on Supabase`,
        mitigation:
          'check the project dashboard (Database > Extensions) before migrating; exclude what depends on it otherwise',
      },
    ];
  });
}

export function untrustedFunctionRisks(snapshot: Snapshot): Risk[] {
  const owned = new Set(snapshot.extensions.flatMap((e) => e.members));
  return snapshot.functions
    .filter((f) => UNTRUSTED_LANGUAGES.has(f.language) && !owned.has(qualified(f)))
    .map((f) => ({
      code: 'superuser-only-object',
      severity: 'high' as const,
      object: `${qualified(f)}(${f.identityArgs})`,
      why: `function in language ${f.language}: only a superuser can create it, and migrations on Supabase run as postgres`,
      mitigation: 'rewrite it in plpgsql, SQL or plv8, or move the logic to an edge function',
    }));
}

export function securityDefinerRisks(snapshot: Snapshot): Risk[] {
  return snapshot.functions
    .filter((f) => f.securityDefiner && !/\bset\s+search_path\b/i.test(f.definition))
    .map((f) => ({
      code: 'security-definer-search-path',
      severity: 'high' as const,
      object: `${qualified(f)}(${f.identityArgs})`,
      why:
        "SECURITY DEFINER without a fixed search_path runs with its owner's rights against objects the caller can " +
        'shadow',
      mitigation: "add `set search_path = ''` and qualify every name in the body",
    }));
}

export function reservedSchemaRisks(snapshot: Snapshot): Risk[] {
  return RESERVED_SCHEMAS.flatMap((schema): Risk[] => {
    const objects = [
      ...snapshot.tables,
      ...snapshot.views,
      ...snapshot.functions,
      ...snapshot.sequences,
      ...snapshot.enums,
      ...snapshot.domains,
      ...snapshot.composites,
    ]
      .filter((o) => o.schema === schema)
      .map(qualified);
    const declared = snapshot.schemas.some((s) => s.name === schema);
    if (objects.length === 0 && !declared) return [];
    const listed = [...new Set(objects)].sort();
    const shown = listed.length > 5 ? `${listed.slice(0, 5).join(', ')}, ...` : listed.join(', ');
    return [
      {
        code: 'reserved-schema',
        severity: 'high',
        object: `schema ${schema}`,
        why:
          `Supabase owns the ${schema} schema; postgres may not create objects in it` +
          (listed.length > 0 ? ` (${listed.length} found: ${shown})` : ''),
        mitigation: `move these objects to another schema (e.g. app_${schema}); reference ${schema} objects instead of re-creating them`,
      },
    ];
  });
}

export function usersTableRisks(snapshot: Snapshot): Risk[] {
  return snapshot.tables
    .filter((t) => t.schema === 'public' && t.name === 'users')
    .map(() => ({
      code: 'public-users-table',
      severity: 'medium' as const,
      object: 'public.users',
      why: 'Supabase keeps accounts in auth.users; a public.users table invites confusion and duplicated credentials',
      mitigation:
        'import the accounts into auth.users and keep the other columns in public.profiles (id references ' +
        'auth.users.id), or rename the table to profiles',
    }));
}

/** Roles other than Supabase's, with what depends on them (grants, ownership, policies): the dump drops them. */
export function customRoleRisks(snapshot: Snapshot): Risk[] {
  const grantHolders = [...snapshot.tables, ...snapshot.views];
  const uses = new Map<string, number>();
  const count = (role: string) => uses.set(role, (uses.get(role) ?? 0) + 1);
  // roleGrants (every object kind) supersedes the relation grants where the snapshot has it.
  if (snapshot.roleGrants) for (const g of snapshot.roleGrants) count(g.grantee);
  else for (const o of grantHolders) for (const g of o.grants) count(g.grantee);
  for (const o of [...grantHolders, ...snapshot.functions]) count(o.owner);
  for (const p of [...snapshot.policies, ...(snapshot.storagePolicies ?? [])]) for (const r of p.roles) count(r);
  const roles = new Map(snapshot.roles.map((r) => [r.name, r]));
  const names = [...new Set([...roles.keys(), ...uses.keys()])].filter((n) => !isPlatformRole(n)).sort();
  return names.map((name) => {
    const superuser = roles.get(name)?.superuser ?? false;
    const used = uses.get(name) ?? 0;
    return {
      code: 'custom-role',
      severity: superuser ? ('high' as const) : used > 0 ? ('medium' as const) : ('low' as const),
      object: `role ${name}`,
      why: `role ${name}${superuser ? ' is a superuser (not possible on Supabase) and' : ''} has ${used} use${used === 1 ? '' : 's'} (objects owned, grants held, policies naming it); a plain Supabase dump (--no-owner --no-privileges) drops them`,
      mitigation:
        'security.roles in migration.yaml: create (the plan makes the role NOLOGIN and re-grants exactly what the ' +
        'source granted it, and carries the policies that name it) or map onto anon, authenticated or service_role ' +
        '(grants and policies go to that role); owns: true on a created role gives it back what it owned',
    };
  });
}
