import { parseSpec } from '../../../src/spec';
import type { RoleGrant } from '../../../src/introspect/snapshot';
import { planSecurity } from '../../../src/plan/security';
import type { SecuritySpec } from '../../../src/spec/types';
import { emptySnapshot } from '../../helpers/snapshot';
import { specFor } from '../../helpers/spec';

const grants: RoleGrant[] = [
  { grantee: 'reporting', kind: 'table', schema: 'public', name: 'orders', privilege: 'SELECT', grantable: true },
  { grantee: 'reporting', kind: 'column', schema: 'public', name: 'orders', detail: 'note', privilege: 'UPDATE' },
  { grantee: 'reporting', kind: 'schema', schema: 'sales', name: 'sales', privilege: 'USAGE' },
  { grantee: 'webapp', kind: 'function', schema: 'public', name: 'total', detail: 'integer', privilege: 'EXECUTE' },
  { grantee: 'webapp', kind: 'sequence', schema: 'public', name: 'orders_id_seq', privilege: 'USAGE' },
  { grantee: 'webapp', kind: 'type', schema: 'public', name: 'mood', privilege: 'USAGE' },
];
const snapshot = emptySnapshot({ roleGrants: grants });
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

  it('grants only on what the schema plan carries: a left-out object takes its grants with it', () => {
    const left = [
      ...grants,
      { grantee: 'webapp', kind: 'table', schema: 'test', name: 'projects_dump', privilege: 'DELETE' },
    ] satisfies RoleGrant[];
    const carried = new Set(['schema:sales', 'table:public.orders', 'function:public.total(integer)', 'enum:public.mood']);
    const steps = planSecurity(emptySnapshot({ roleGrants: left }), specFor('/p', { security: {} }), carried).steps;
    const sql = steps.filter((x) => x.kind === 'role-grants').map((x) => x.sql).join('\n');
    expect(sql).not.toContain('projects_dump');
    // The serial's sequence is not in the snapshot's list: it comes with its table and keeps its grant.
    expect(sql.split('\n').filter((l) => l !== '')).toHaveLength(grants.length);
    expect(planSecurity(emptySnapshot({ roleGrants: left }), specFor('/p', { security: {} }), new Set()).steps.map((x) => x.sql).join('\n')).not.toContain('"sales"');
  });

  it('is deterministic: the order of the snapshot grants does not change the plan', () => {
    const shuffled = emptySnapshot({ roleGrants: [...grants].reverse() });
    expect(roleSteps({}, shuffled)).toEqual(roleSteps({}));
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
});
