import type { SchemaDifference } from '../../src/compare/schema';
import type { SecuritySpec } from '../../src/spec/types';
import { withoutPlannedSecurity } from '../../src/validate/security-diff';
import { column, emptySnapshot, table } from '../helpers/snapshot';
import { specFor } from '../helpers/spec';

const users = table('public', 'users', [column('id', 'uuid'), column('email', 'text'), column('password_hash', 'text', { notNull: true })]);
const snapshot = emptySnapshot({ schemas: [{ name: 'public', owner: 'postgres', comment: null }], tables: [users] });
const security: SecuritySpec = {
  usersTable: { table: 'public.users', idColumn: 'id', authUsers: 'seed', emailColumn: 'email', passwordColumn: 'password_hash', appMetadata: {} },
  tables: { 'public.users': [{ kind: 'owner', column: 'id', operations: ['select'], roles: ['authenticated'] }] },
};
const differs = (object: string, expected: unknown[], found: unknown[]): SchemaDifference => ({
  kind: 'different',
  object,
  detail: `expected ${JSON.stringify(expected)}\n  found    ${JSON.stringify(found)}`,
});

describe('schema parity after the security plan', () => {
  it('explains the users table password column made nullable, and nothing else about it', () => {
    const dropped = differs('column public.users.password_hash', [3, 'text', true, null, null, null], [3, 'text', false, null, null, null]);
    const retyped = differs('column public.users.password_hash', [3, 'text', true, null, null, null], [3, 'varchar', false, null, null, null]);
    const added = differs('column public.users.password_hash', [3, 'text', false, null, null, null], [3, 'text', true, null, null, null]);
    const other = differs('column public.users.email', [2, 'text', true, null, null, null], [2, 'text', false, null, null, null]);
    const kept = withoutPlannedSecurity([dropped, retyped, added, other], snapshot, specFor('/p', { security }));
    expect(kept).toEqual([retyped, added, other]);
  });

  it('explains RLS switched on for a table whose name holds a space, and keeps other table changes', () => {
    const spaced = table('public', 'My Table', [column('id', 'integer')]);
    const source = emptySnapshot({ schemas: snapshot.schemas, tables: [users, spaced] });
    const rls = differs('table public.My Table', ['r', null, null, false, false], ['r', null, null, true, false]);
    const forced = differs('table public.My Table', ['r', null, null, false, false], ['r', null, null, true, true]);
    expect(withoutPlannedSecurity([rls, forced], source, specFor('/p', { security }))).toEqual([forced]);
  });

  it('explains a pinned search_path when no table is in an exposed schema (dbdev keeps its tables in app)', () => {
    const source = emptySnapshot({ schemas: [{ name: 'app', owner: 'postgres', comment: null }], tables: [table('app', 'packages', [column('id', 'uuid')])] });
    const def = (pin: string) => JSON.stringify(`CREATE OR REPLACE FUNCTION public.f()\n RETURNS void\n LANGUAGE sql\n SECURITY DEFINER\n${pin}AS $function$select$function$\n`);
    const pinned = { kind: 'different' as const, object: 'function public.f()', detail: `expected ${def('')}\n  found    ${def(" SET search_path TO 'public'\n")}` };
    const changed = { ...pinned, detail: pinned.detail.replace('select$function$\\n"', 'select 1$function$\\n"') };
    expect(withoutPlannedSecurity([pinned, changed], source, specFor('/p'))).toEqual([changed]);
  });

  it('keeps the difference when the spec names no password column', () => {
    const dropped = differs('column public.users.password_hash', [3, 'text', true, null, null, null], [3, 'text', false, null, null, null]);
    const noPassword = { ...security, usersTable: { ...security.usersTable!, passwordColumn: null } };
    expect(withoutPlannedSecurity([dropped], snapshot, specFor('/p', { security: noPassword }))).toEqual([dropped]);
  });
});
