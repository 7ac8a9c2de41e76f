import type { Policy, Table } from '../../introspect/snapshot';
import { ident, qname } from '../../sql';
import type { Step } from '../types';
import type { NameMap } from './context';
import { rewriteRoleLiterals } from './role-literals';
import { commentSql, step } from './step';

const COMMANDS: Record<Policy['command'], string> = { r: 'select', a: 'insert', w: 'update', d: 'delete', '*': 'all' };

export function rlsSteps(t: Table, names: NameMap): Step[] {
  if (!t.rlsEnabled && !t.rlsForced) return [];
  const table = qname(names.schema(t.schema), t.name);
  const lines: string[] = [];
  const downs: string[] = [];
  if (t.rlsEnabled) {
    lines.push(`alter table ${table} enable row level security;`);
    downs.push(`alter table ${table} disable row level security;`);
  }
  if (t.rlsForced) {
    lines.push(`alter table ${table} force row level security;`);
    downs.unshift(`alter table ${table} no force row level security;`);
  }
  return [step(`rls:${names.schema(t.schema)}.${t.name}`, 'security', 'rls', lines.join('\n'), downs.join('\n'))];
}

/**
 * Source policies move with their roles. The source's own roles are created on the target or
 * mapped onto a Supabase role (security.roles): `roleOf` gives each role's name on the target,
 * and the plan creates the roles before these steps run. A mapped role named inside the
 * expressions (`pg_has_role('clerk', 'member')`, `current_user = 'clerk'`) is renamed there too.
 */
export function policySteps(policies: Policy[], names: NameMap, roleOf: (role: string) => string = (r) => r): Step[] {
  return policies.map((p) => {
    const table = qname(names.schema(p.schema), p.table);
    const roles = [...new Set(p.roles.map(roleOf))].map((r) => (r === 'public' ? 'public' : ident(r)));
    const parts = [
      `create policy ${ident(p.name)} on ${table}`,
      `  as ${p.permissive ? 'permissive' : 'restrictive'}`,
      `  for ${COMMANDS[p.command]}`,
      `  to ${roles.join(', ')}`,
    ];
    const expr = (e: string) => rewriteRoleLiterals(names.rewrite(e), roleOf);
    if (p.using !== null) parts.push(`  using (${expr(p.using)})`);
    if (p.withCheck !== null) parts.push(`  with check (${expr(p.withCheck)})`);
    return step(
      `policy:${names.schema(p.schema)}.${p.table}.${p.name}`,
      'security',
      'policy',
      `${parts.join('\n')};${commentSql(`policy ${ident(p.name)} on ${table}`, p.comment ?? null)}`,
      `drop policy ${ident(p.name)} on ${table};`,
    );
  });
}
