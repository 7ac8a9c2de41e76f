import { compareSchemas } from '../../src/compare/schema';
import type { Policy } from '../../src/introspect/snapshot';
import { column, emptySnapshot, table } from '../helpers/snapshot';
import { mapping } from '../helpers/spec';

const policy = (roles: string[], using = 'true'): Policy => ({
  schema: 'public', table: 'orders', name: 'read', permissive: true, command: 'r', roles, using, withCheck: null,
});
const side = (roles: string[], using?: string) =>
  emptySnapshot({ tables: [table('public', 'orders', [column('id', 'integer')], { rlsEnabled: true })], policies: [policy(roles, using)] });

describe('schema parity of policies naming the source own roles', () => {
  it('compares a created role by its name: missing on the target is a difference', () => {
    expect(compareSchemas(side(['clerk']), side(['clerk']), mapping())).toEqual([]);
    expect(compareSchemas(side(['anon', 'clerk']), side(['anon']), mapping()).map((d) => d.object)).toEqual([
      'policy public.orders.read',
    ]);
  });

  it('compares a mapped role under the Supabase role the spec maps it onto', () => {
    const roleOf = (r: string) => (r === 'webapp' ? 'service_role' : r);
    const source = side(['webapp', 'authenticated']);
    expect(compareSchemas(source, side(['authenticated', 'service_role']), mapping(), roleOf)).toEqual([]);
    expect(compareSchemas(source, side(['authenticated', 'webapp']), mapping(), roleOf)).toHaveLength(1);
  });

  it('expects a mapped role named inside the expression under its Supabase name', () => {
    const roleOf = (r: string) => (r === 'webapp' ? 'authenticated' : r);
    const source = side(['public'], "pg_has_role('webapp'::name, 'member'::text)");
    const mapped = side(['public'], "pg_has_role('authenticated'::name, 'member'::text)");
    expect(compareSchemas(source, mapped, mapping(), roleOf)).toEqual([]);
    expect(compareSchemas(source, source, mapping(), roleOf).map((d) => d.kind)).toEqual(['different']);
  });
});
