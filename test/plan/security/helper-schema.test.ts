import { planSecurity } from '../../../src/plan/security';
import type { SecurityPattern } from '../../../src/spec/types';
import { column, emptySnapshot, table } from '../../helpers/snapshot';
import { mapping, specFor } from '../../helpers/spec';

const notes = table('public', 'notes', [column('id', 'bigint')]);
const admins = {
  'public.notes': [
    {
      kind: 'role',
      claim: ['app_metadata', 'role'],
      values: ['admin'],
      operations: ['delete'],
      roles: ['authenticated'],
    },
  ] as SecurityPattern[],
};
const schema = (name: string) => ({ name, owner: 'postgres', comment: null });
const planWith = (schemas: string[], renameSchemas: Record<string, string> = {}) =>
  planSecurity(
    emptySnapshot({ schemas: ['public', ...schemas].map(schema), tables: [notes] }),
    specFor('/p', { security: { tables: admins }, schema: mapping({ renameSchemas }) }),
  ).steps;

describe('the role helper never lands in a schema the source has', () => {
  it('uses `private` when the source has no schema of that name', () => {
    const steps = planWith([]);
    expect(steps.slice(0, 2).map((s) => s.id)).toEqual([
      'security:schema:private',
      'security:function:private.jwt_claim_in',
    ]);
  });

  it('moves to `private_rls` when the source has its own `private` (postgrest), and the policy calls it there', () => {
    const steps = planWith(['private']);
    expect(steps.slice(0, 2).map((s) => s.id)).toEqual([
      'security:schema:private_rls',
      'security:function:private_rls.jwt_claim_in',
    ]);
    expect(steps[1].sql).toContain('create function "private_rls"."jwt_claim_in"(path text[], allowed text[])');
    const policy = steps.find((s) => s.id === 'security:policy:public.notes.delete.authenticated')?.sql ?? '';
    expect(policy).toContain('(select "private_rls"."jwt_claim_in"(');
    expect(steps.some((s) => /"private"\./.test(s.sql))).toBe(false);
  });

  it('also avoids a name the spec renames a schema to, and one already taken', () => {
    const steps = planWith(['legacy', 'private_rls'], { legacy: 'private' });
    expect(steps[0].id).toBe('security:schema:private_rls_2');
  });
});
