import { UserError } from '../../../src/errors';
import { planSecurity } from '../../../src/plan/security';
import type { SecuritySpec, UsersTable } from '../../../src/spec/types';
import { column, emptySnapshot, table } from '../../helpers/snapshot';
import { specFor } from '../../helpers/spec';

const users = table('public', 'users', [column('id', 'uuid'), column('email', 'text'), column('pw', 'text'), column('school_id', 'uuid'), column('kind', 'text')]);
const legacy = table('public', 'accounts', [column('id', 'integer'), column('email', 'text')]);
const snapshot = emptySnapshot({ schemas: [{ name: 'public', owner: 'postgres', comment: null }], tables: [users, legacy] });

const usersTable = (over: Partial<UsersTable> = {}): UsersTable => ({ table: 'public.users', idColumn: 'id', authUsers: 'seed', emailColumn: 'email', passwordColumn: null, appMetadata: {}, ...over });
const plan = (u: UsersTable) => {
  const security: SecuritySpec = { usersTable: u, tables: { 'public.users': [{ kind: 'owner', column: 'id', operations: ['select'], roles: ['authenticated'] }] } };
  return planSecurity(snapshot, specFor('/p', { security })).steps;
};

describe('users table linked to auth.users', () => {
  it('seed: creates the missing auth.users rows and identities, records them, then adds the cascading foreign key', () => {
    const steps = plan(usersTable({ passwordColumn: 'pw', appMetadata: { role: 'kind', tenant_id: 'school_id' } }));
    const ids = steps.map((s) => s.id);
    expect(ids.slice(0, 2)).toEqual(['security:auth-users:seed:public.users', 'security:fk:public.users.auth_users']);
    const seed = steps[0];
    expect(seed.sql).toContain('insert into auth.users (instance_id, id, aud, role, email, encrypted_password');
    expect(seed.sql).toContain(`case when u."pw"::text ~ '^\\$2[abxy]\\$[0-9]{2}\\$' then u."pw"::text else '' end`);
    expect(seed.sql).toContain(`|| jsonb_strip_nulls(jsonb_build_object('role', u."kind", 'tenant_id', u."school_id"))`);
    expect(seed.sql).toContain('not exists (select from auth.users a where a.id = u."id")');
    expect(seed.sql).toContain('insert into auth.identities');
    expect(seed.down).toBe([
      'delete from auth.identities where user_id in (select id from supamigrate.seeded_auth_users);',
      'delete from auth.users where id in (select id from supamigrate.seeded_auth_users);',
      'drop table supamigrate.seeded_auth_users;',
      '',
    ].join('\n'));
    expect(steps[1].sql).toBe('alter table "public"."users" add constraint "users_id_auth_users_fkey" foreign key ("id") references auth.users (id) on delete cascade;\n');
    expect(steps[1].down).toBe('alter table "public"."users" drop constraint "users_id_auth_users_fkey";\n');
  });

  it('without a password column every seeded password is empty', () => {
    const seed = plan(usersTable())[0];
    expect(seed.sql).toContain(`u."email"::text, '', now()`);
    expect(seed.sql).not.toContain('jsonb_strip_nulls');
  });

  it('existing: only the foreign key; none: nothing', () => {
    expect(plan(usersTable({ authUsers: 'existing' })).filter((s) => s.id.includes('auth_users') || s.id.includes('auth-users')).map((s) => s.id)).toEqual(['security:fk:public.users.auth_users']);
    expect(plan(usersTable({ authUsers: 'none' })).filter((s) => s.id.includes('auth_users') || s.id.includes('auth-users'))).toEqual([]);
  });

  it('refuses a non-uuid id, and missing email, password and app_metadata columns, all at once', () => {
    const bad = () => plan(usersTable({ emailColumn: 'mail', passwordColumn: 'secret', appMetadata: { tenant_id: 'org' } }));
    expect(bad).toThrow(UserError);
    expect(bad).toThrow(/security\.users_table\.email_column: public\.users has no column mail \(name the email column with email_column\)/);
    expect(bad).toThrow(/security\.users_table\.password_column: public\.users has no column secret/);
    expect(bad).toThrow(/security\.users_table\.app_metadata\.tenant_id: public\.users has no column org/);
    expect(() => plan(usersTable({ table: 'public.accounts' }))).toThrow(/public\.accounts\.id is integer, but auth\.users ids are uuid \(set auth_users: none/);
    expect(plan(usersTable({ table: 'public.accounts', authUsers: 'none' })).some((s) => s.id.includes('auth_users') || s.id.includes('auth-users'))).toBe(false);
  });
});
