import { buildNameMap } from '../../../src/plan/schema';
import { policySteps, rlsSteps } from '../../../src/plan/schema/policies';
import type { Policy } from '../../../src/introspect/snapshot';
import { column, emptySnapshot, table } from '../../helpers/snapshot';

const names = buildNameMap(emptySnapshot(), { renameSchemas: { app: 'app2' } });

function policy(over: Partial<Policy> = {}): Policy {
  return {
    schema: 'app', table: 'notes', name: 'own notes', permissive: true, command: 'r',
    roles: ['authenticated'], using: '(owner = auth.uid())', withCheck: null, ...over,
  };
}

describe('rlsSteps', () => {
  it('enables and forces row level security, undoing force first', () => {
    const t = table('app', 'notes', [column('id', 'integer')], { rlsEnabled: true, rlsForced: true });
    const [s] = rlsSteps(t, names);
    expect([s.id, s.phase, s.kind]).toEqual(['rls:app2.notes', 'security', 'rls']);
    expect(s.sql).toEqual([
      'alter table "app2"."notes" enable row level security;',
      'alter table "app2"."notes" force row level security;',
      '',
    ].join('\n'));
    expect(s.down).toEqual([
      'alter table "app2"."notes" no force row level security;',
      'alter table "app2"."notes" disable row level security;',
      '',
    ].join('\n'));
  });

  it('plans nothing for a table without row level security', () => {
    expect(rlsSteps(table('app', 'notes', []), names)).toEqual([]);
  });
});

describe('policySteps', () => {
  it('creates a permissive select policy for a Supabase role', () => {
    const [s] = policySteps([policy()], names);
    expect([s.id, s.phase, s.kind]).toEqual(['policy:app2.notes.own notes', 'security', 'policy']);
    expect(s.sql).toEqual([
      'create policy "own notes" on "app2"."notes"',
      '  as permissive',
      '  for select',
      '  to "authenticated"',
      '  using ((owner = auth.uid()));',
      '',
    ].join('\n'));
    expect(s.down).toEqual('drop policy "own notes" on "app2"."notes";\n');
  });

  it('keeps every role, writes public bare, and carries both expressions with renamed schemas', () => {
    const [s] = policySteps([policy({
      permissive: false, command: 'w', roles: ['public', 'clerk', 'service_role'],
      using: '(app.can_edit(id))', withCheck: '(length(body) < 100)',
    })], names);
    expect(s.sql).toEqual([
      'create policy "own notes" on "app2"."notes"',
      '  as restrictive',
      '  for update',
      '  to public, "clerk", "service_role"',
      '  using ((app2.can_edit(id)))',
      '  with check ((length(body) < 100));',
      '',
    ].join('\n'));
  });

  it('carries a policy whose roles are all the source own, under their target names, without repeats', () => {
    const roleOf = (r: string) => (r === 'clerk' || r === 'auditor' ? 'service_role' : r);
    const [own] = policySteps([policy({ roles: ['reader'] })], names, roleOf);
    expect(own.sql).toContain('  to "reader"\n');
    const [mapped] = policySteps([policy({ roles: ['auditor', 'authenticated', 'clerk'] })], names, roleOf);
    expect(mapped.sql).toContain('  to "service_role", "authenticated"\n');
  });

  it.each([['a', 'insert'], ['d', 'delete'], ['*', 'all']] as const)('writes command %s as %s', (command, word) => {
    const [s] = policySteps([policy({ command, using: null, withCheck: 'true' })], names);
    expect(s.sql).toEqual([
      'create policy "own notes" on "app2"."notes"',
      '  as permissive',
      `  for ${word}`,
      '  to "authenticated"',
      '  with check (true);',
      '',
    ].join('\n'));
  });

  it('renames a mapped role named inside both expressions, not the same text as data', () => {
    const roleOf = (r: string) => (r === 'clerk' ? 'authenticated' : r);
    const using = `(pg_has_role('clerk'::name, 'member'::text) AND (kind = 'clerk'::text))`;
    const withCheck = `(CURRENT_USER = 'clerk'::name)`;
    const [s] = policySteps([policy({ command: 'w', using, withCheck })], names, roleOf);
    expect(s.sql).toContain(`  using ((pg_has_role('authenticated'::name, 'member'::text) AND (kind = 'clerk'::text)))\n`);
    expect(s.sql).toContain(`  with check ((CURRENT_USER = 'authenticated'::name));`);
  });
});
