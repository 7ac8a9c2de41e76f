import { rewriteRoleLiterals } from '../../../src/plan/schema/role-literals';

const roleOf = (r: string) => ({ clerk: 'authenticated', Clerk: 'anon', 'sales team': 'service_role' })[r] ?? r;
const rewrite = (e: string) => rewriteRoleLiterals(e, roleOf);

describe('rewriteRoleLiterals', () => {
  it('renames a mapped role in pg_has_role, with and without the user argument', () => {
    expect(rewrite(`pg_has_role('clerk'::name, 'member'::text)`)).toBe(`pg_has_role('authenticated'::name, 'member'::text)`);
    expect(rewrite(`pg_catalog.pg_has_role('clerk', 'clerk', 'usage')`)).toBe(
      `pg_catalog.pg_has_role('authenticated', 'authenticated', 'usage')`,
    );
    // The privilege is the last argument, never a role.
    expect(rewrite(`pg_has_role(CURRENT_USER, 'reporting', 'clerk')`)).toBe(`pg_has_role(CURRENT_USER, 'reporting', 'clerk')`);
  });

  it('renames the user of has_*_privilege only in the form that takes one', () => {
    expect(rewrite(`has_table_privilege('clerk'::name, 'public.t'::text, 'select'::text)`)).toBe(
      `has_table_privilege('authenticated'::name, 'public.t'::text, 'select'::text)`,
    );
    expect(rewrite(`has_table_privilege('clerk', 'select')`)).toBe(`has_table_privilege('clerk', 'select')`);
    expect(rewrite(`has_column_privilege('clerk', 't', 'c', 'select')`)).toBe(`has_column_privilege('authenticated', 't', 'c', 'select')`);
    expect(rewrite(`has_column_privilege('clerk', 'c', 'select')`)).toBe(`has_column_privilege('clerk', 'c', 'select')`);
  });

  it('renames what current_user, session_user and current_role are compared with, on either side', () => {
    expect(rewrite(`((CURRENT_USER = 'clerk'::name) OR ('clerk'::name = SESSION_USER))`)).toBe(
      `((CURRENT_USER = 'authenticated'::name) OR ('authenticated'::name = SESSION_USER))`,
    );
    expect(rewrite(`((CURRENT_USER)::text = 'clerk'::text)`)).toBe(`((CURRENT_USER)::text = 'authenticated'::text)`);
    expect(rewrite(`ok and (current_user)::text = 'clerk'`)).toBe(`ok and (current_user)::text = 'authenticated'`);
    expect(rewrite(`(CURRENT_ROLE <> ALL (ARRAY['clerk'::text, 'x'::text]))`)).toBe(
      `(CURRENT_ROLE <> ALL (ARRAY['authenticated'::text, 'x'::text]))`,
    );
    expect(rewrite(`current_user not in ('clerk', 'Clerk')`)).toBe(`current_user not in ('authenticated', 'anon')`);
    expect(rewrite(`user != 'clerk'`)).toBe(`user != 'authenticated'`);
  });

  it('reads a regrole literal as an identifier and quotes the new name as one', () => {
    expect(rewrite(`(owner_role = 'clerk'::regrole)`)).toBe(`(owner_role = 'authenticated'::regrole)`);
    expect(rewrite(`('"Clerk"'::pg_catalog.regrole)`)).toBe(`('anon'::pg_catalog.regrole)`);
    expect(rewrite(`('Clerk'::regrole)`)).toBe(`('authenticated'::regrole)`);
    expect(rewriteRoleLiterals(`'clerk'::regrole`, () => 'Sales Team')).toBe(`'"Sales Team"'::regrole`);
  });

  it('leaves data, unmapped roles, strings, comments and pieces of larger operands alone', () => {
    const same = [
      `(kind = 'clerk'::text)`,
      `(note <> 'clerk') and (owner = current_user)`,
      `(CURRENT_USER = 'reporting'::name)`,
      `(CURRENT_USER = ('cl'::text || 'erk'::text))`,
      `('clerk' || 'x' = CURRENT_USER)`,
      `CURRENT_USER = ANY (ARRAY[lower('clerk')])`,
      `-- current_user = 'clerk'\ntrue`,
      `format('current_user = ''clerk''')`,
      `t.user = 'clerk'`,
      `pg_has_role(lower('clerk'), 'member')`,
      `pg_has_role(E'clerk', 'member')`,
      `(upper(CURRENT_USER) = 'clerk'::text)`,
    ];
    for (const e of same) expect(rewrite(e)).toBe(e);
  });

  it('renames names that need quoting and keeps quotes inside the literal', () => {
    expect(rewrite(`(CURRENT_USER = 'sales team'::name)`)).toBe(`(CURRENT_USER = 'service_role'::name)`);
    expect(rewriteRoleLiterals(`pg_has_role('clerk', 'member')`, () => "o'neil")).toBe(`pg_has_role('o''neil', 'member')`);
  });
});
