import { parseSpec } from '../../../src/spec';
import type { RoleGrant, Routine } from '../../../src/introspect/snapshot';
import { planSecurity } from '../../../src/plan/security';
import { buildPlan } from '../../../src/plan';
import type { Policy } from '../../../src/introspect/snapshot';
import type { SecuritySpec } from '../../../src/spec/types';
import { column, emptySnapshot, table } from '../../helpers/snapshot';
import { mapping, specFor } from '../../helpers/spec';

const grants: RoleGrant[] = [
  { grantee: 'reporting', kind: 'table', schema: 'public', name: 'orders', privilege: 'SELECT', grantable: true },
  { grantee: 'reporting', kind: 'column', schema: 'public', name: 'orders', detail: 'note', privilege: 'UPDATE' },
  { grantee: 'reporting', kind: 'schema', schema: 'sales', name: 'sales', privilege: 'USAGE' },
  { grantee: 'webapp', kind: 'function', schema: 'public', name: 'total', detail: 'integer', privilege: 'EXECUTE' },
  { grantee: 'webapp', kind: 'sequence', schema: 'public', name: 'orders_id_seq', privilege: 'USAGE' },
  { grantee: 'webapp', kind: 'type', schema: 'public', name: 'mood', privilege: 'USAGE' },
];
const total: Routine = {
  schema: 'public', name: 'total', identityArgs: 'integer', kind: 'f', definition: 'CREATE FUNCTION public.total(integer) ...',
  language: 'sql', returns: 'integer', returnsSet: false, securityDefiner: false, volatility: 'i',
  args: [{ name: '', type: 'integer', mode: 'i', hasDefault: false }], dependsOn: [], owner: 'postgres', comment: null,
};
const objects = { tables: [table('public', 'orders', [column('id', 'integer'), column('note', 'text')])], functions: [total] };
const snapshot = emptySnapshot({ ...objects, roleGrants: grants });
const roleSteps = (security: SecuritySpec, s = snapshot) =>
  planSecurity(s, specFor('/p', { security })).steps.filter((x) => x.kind === 'role' || x.kind === 'role-grants');

describe('the source own roles', () => {
  it('creates an unnamed role NOLOGIN and grants it exactly what the source did, with downs', () => {
    const steps = roleSteps({});
    expect(steps.map((s) => s.id)).toEqual([
      'security:role:reporting',
      'security:role-grants:reporting',
      'security:role:webapp',
      'security:role-grants:webapp',
    ]);
    expect(steps[0].sql).toContain('create role "reporting" nologin;');
    expect(steps[0].down).toContain('drop role "reporting"');
    expect(steps[1].sql.trim().split('\n')).toEqual([
      'grant update ("note") on table "public"."orders" to "reporting";',
      'grant usage on schema "sales" to "reporting";',
      'grant select on table "public"."orders" to "reporting" with grant option;',
    ]);
    expect(steps[1].down.trim().split('\n')).toEqual([
      'revoke select on table "public"."orders" from "reporting" cascade;',
      'revoke usage on schema "sales" from "reporting";',
      'revoke update ("note") on table "public"."orders" from "reporting";',
    ]);
    expect(steps[3].sql).toContain('grant execute on function "public"."total"(integer) to "webapp";');
    expect(steps[3].sql).toContain('grant usage on sequence "public"."orders_id_seq" to "webapp";');
    expect(steps[3].sql).toContain('grant usage on type "public"."mood" to "webapp";');
  });

  it('follows the spec: login on request, and a mapped role creates nothing and grants to the Supabase role', () => {
    const steps = roleSteps({
      roles: { reporting: { treatment: 'create', login: true }, webapp: { treatment: 'map', to: 'service_role' } },
    });
    expect(steps.map((s) => s.id)).toEqual([
      'security:role:reporting',
      'security:role-grants:reporting',
      'security:role-grants:webapp',
    ]);
    expect(steps[0].sql).toContain('create role "reporting" login;');
    expect(steps[2].sql).toContain('grant usage on type "public"."mood" to "service_role";');
    expect(steps[2].sql).not.toContain('webapp');
  });

  it('is deterministic: the order of the snapshot grants does not change the plan', () => {
    const shuffled = emptySnapshot({ ...objects, roleGrants: [...grants].reverse() });
    expect(roleSteps({}, shuffled)).toEqual(roleSteps({}));
  });

  it('grants nothing on what the plan does not create: a skipped foreign table, a table the spec leaves out', () => {
    const s = emptySnapshot({
      ...objects,
      tables: [...objects.tables, table('public', 'archive', [column('id', 'integer')])],
      foreignServers: [
        { name: 'files', wrapper: 'file_fdw', wrapperExtension: 'file_fdw', type: null, version: null, options: [], userMappings: [], comment: null },
      ],
      foreignTables: [{ schema: 'public', name: 'dump', server: 'files', columns: [], options: [], comment: null }],
      roleGrants: [
        ...grants,
        { grantee: 'reporting', kind: 'table', schema: 'public', name: 'dump', privilege: 'SELECT' },
        { grantee: 'reporting', kind: 'table', schema: 'public', name: 'archive', privilege: 'SELECT' },
      ],
    });
    const spec = specFor('/p', { schema: mapping({ excludeTables: ['public.archive'] }) });
    const steps = planSecurity(s, spec).steps.filter((x) => x.kind === 'role-grants');
    expect(steps[0].sql).toContain('grant select on table "public"."orders" to "reporting" with grant option;');
    expect(steps[0].sql).not.toMatch(/"dump"|"archive"/);
  });

  it('reads security.roles from YAML and refuses a map without a target role', () => {
    const load = (roles: string) => parseSpec(`version: 1\nname: app\nsecurity:\n  roles:\n${roles}`, '/p/migration.yaml', {});
    expect(load('    reporting: { treatment: create }\n    webapp: { treatment: map, to: authenticated }\n').security.roles).toEqual({
      reporting: { treatment: 'create', login: false },
      webapp: { treatment: 'map', to: 'authenticated' },
    });
    expect(() => load('    webapp: { treatment: map }\n')).toThrow(/roles/);
    expect(() => load('    webapp: { treatment: map, to: postgres }\n')).toThrow(/roles/);
  });

  it('carries the policies that name them, after the roles are made, mapped names where the spec maps', () => {
    const policy = (name: string, roles: string[]): Policy => ({
      schema: 'public', table: 'orders', name, permissive: true, command: 'r', roles, using: 'true', withCheck: null,
    });
    const orders = table('public', 'orders', [column('id', 'integer'), column('note', 'text')], { rlsEnabled: true });
    const s = emptySnapshot({
      ...objects,
      tables: [orders],
      roleGrants: grants,
      policies: [policy('clerks read', ['clerk']), policy('app reads', ['authenticated', 'webapp'])],
    });
    const spec = specFor('/p', { security: { roles: { webapp: { treatment: 'map', to: 'service_role' } } } });
    const steps = buildPlan(spec, s).steps;
    const at = (id: string) => steps.findIndex((x) => x.id === id);
    expect(at('security:role:clerk')).toBeGreaterThan(-1);
    expect(at('security:role:clerk')).toBeLessThan(at('policy:public.orders.clerks read'));
    expect(at('security:role:webapp')).toBe(-1);
    expect(steps.find((x) => x.id === 'security:role-grants:clerk')).toBeUndefined();
    expect(steps[at('policy:public.orders.clerks read')].sql).toContain('  to "clerk"\n');
    expect(steps[at('policy:public.orders.app reads')].sql).toContain('  to "authenticated", "service_role"\n');
    expect(steps.filter((x) => x.kind === 'role').every((r) => at(r.id) < at('rls:public.orders'))).toBe(true);
  });

  it('hands the objects a created role owned back to it only when the spec says owns, member first', () => {
    const s = emptySnapshot({
      ...objects,
      schemas: [{ name: 'public', owner: 'postgres', comment: null }, { name: 'books', owner: 'ledger', comment: null }],
      tables: [
        table('public', 'orders', [column('id', 'integer')], { owner: 'ledger' }),
        table('books', 'entries', [column('id', 'integer')], { owner: 'ledger' }),
        table('public', 'other', [column('id', 'integer')]),
      ],
      functions: [{ ...total, owner: 'ledger' }],
    });
    const owning = (security: SecuritySpec) =>
      planSecurity(s, specFor('/p', { security })).steps.filter((x) => x.kind === 'role-owner' || x.kind === 'role');
    expect(owning({}).filter((x) => x.kind === 'role-owner')).toEqual([]);
    expect(owning({ roles: { ledger: { treatment: 'create', login: false } } }).map((x) => x.id)).toEqual([]);
    const steps = owning({ roles: { ledger: { treatment: 'create', login: false, owns: true } } });
    expect(steps.map((x) => x.id)).toEqual(['security:role:ledger', 'security:role-owner:ledger']);
    expect(steps[1].sql.trim().split('\n')).toEqual([
      'grant "ledger" to current_user;',
      'grant create on schema "public" to "ledger";',
      'alter schema "books" owner to "ledger";',
      'alter function "public"."total"(integer) owner to "ledger";',
      'alter table "books"."entries" owner to "ledger";',
      'alter table "public"."orders" owner to "ledger";',
      'revoke create on schema "public" from "ledger";',
    ]);
    expect(steps[1].down.trim().split('\n')).toEqual([
      'alter table "public"."orders" owner to current_user;',
      'alter table "books"."entries" owner to current_user;',
      'alter function "public"."total"(integer) owner to current_user;',
      'alter schema "books" owner to current_user;',
    ]);
    expect(owning({ roles: { ledger: { treatment: 'map', to: 'service_role' } } })).toEqual([]);
  });

  it('reads owns from YAML, only on a created role', () => {
    const load = (roles: string) => parseSpec(`version: 1\nname: app\nsecurity:\n  roles:\n${roles}`, '/p/migration.yaml', {});
    expect(load('    ledger: { treatment: create, owns: true }\n').security.roles).toEqual({
      ledger: { treatment: 'create', login: false, owns: true },
    });
    expect(() => load('    ledger: { treatment: map, to: service_role, owns: true }\n')).toThrow(/roles/);
  });

  it("re-grants a Supabase source's grants to the API roles outside the exposed schemas only", () => {
    const api: RoleGrant[] = [
      { grantee: 'authenticated', kind: 'schema', schema: 'basejump', name: 'basejump', privilege: 'USAGE' },
      { grantee: 'authenticated', kind: 'table', schema: 'basejump', name: 'config', privilege: 'SELECT' },
      { grantee: 'authenticated', kind: 'table', schema: 'public', name: 'orders', privilege: 'DELETE' },
      { grantee: 'anon', kind: 'table', schema: 'basejump', name: 'gone', privilege: 'SELECT' },
    ];
    const s = emptySnapshot({
      tables: [table('public', 'orders', [column('id', 'integer')]), table('basejump', 'config', [column('id', 'integer')])],
      apiGrants: api,
    });
    const steps = planSecurity(s, specFor('/p', {})).steps.filter((x) => x.kind === 'api-grants');
    expect(steps.map((x) => [x.id, x.sql.trim().split('\n')])).toEqual([
      [
        'security:api-grants:authenticated',
        ['grant usage on schema "basejump" to "authenticated";', 'grant select on table "basejump"."config" to "authenticated";'],
      ],
    ]);
  });

  it("keeps a Supabase source's EXECUTE grants on its other functions in exposed schemas", () => {
    const fn = (name: string): Routine => ({ ...total, name, identityArgs: '', args: [] });
    const s = emptySnapshot({
      tables: [table('public', 'orders', [column('id', 'integer')])],
      policies: [{ schema: 'public', table: 'orders', name: 'own', permissive: true, command: 'r', roles: ['authenticated'], using: '(auth.uid() is not null)', withCheck: null }],
      functions: [fn('for_service'), fn('for_users')],
      apiGrants: [
        { grantee: 'service_role', kind: 'function', schema: 'public', name: 'for_service', privilege: 'EXECUTE' },
        { grantee: 'authenticated', kind: 'function', schema: 'public', name: 'for_users', privilege: 'EXECUTE' },
      ],
    });
    const steps = planSecurity(s, specFor('/p', {})).steps.filter((x) => x.id.startsWith('security:api-execute:'));
    expect(steps.map((x) => [x.id, x.sql.trim().split('\n')[1]])).toEqual([
      ['security:api-execute:public.for_service()', 'grant execute on function "public"."for_service"() to "service_role";'],
      ['security:api-execute:public.for_users()', 'grant execute on function "public"."for_users"() to "authenticated", "service_role";'],
    ]);
    expect(steps[0].sql).toContain('revoke execute on function "public"."for_service"() from public, anon, authenticated;');
    // A plain source (no Supabase roles in its policies or grants) keeps Postgres's defaults.
    const plain = emptySnapshot({ ...s, policies: [], apiGrants: [] });
    expect(planSecurity(plain, specFor('/p', {})).steps.filter((x) => x.id.startsWith('security:api-execute:'))).toEqual([]);
  });
});
