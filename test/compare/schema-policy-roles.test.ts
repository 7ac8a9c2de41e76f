import { compareSchemas } from '../../src/compare/schema';
import type { Policy } from '../../src/introspect/snapshot';
import { column, emptySnapshot, table } from '../helpers/snapshot';
import { mapping } from '../helpers/spec';

const policy = (roles: string[]): Policy => ({
  schema: 'public', table: 'orders', name: 'read', permissive: true, command: 'r', roles, using: 'true', withCheck: null,
});
const side = (roles: string[]) =>
  emptySnapshot({ tables: [table('public', 'orders', [column('id', 'integer')], { rlsEnabled: true })], policies: [policy(roles)] });

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
});
