import { UserError } from '../../../src/errors';
import { planSecurity } from '../../../src/plan/security';
import type { View } from '../../../src/introspect/snapshot';
import type { SecuritySpec } from '../../../src/spec/types';
import { column, emptySnapshot, table } from '../../helpers/snapshot';
import { specFor } from '../../helpers/spec';

/** `security.views`: the spec sets a view's rights and opens SELECT by name (issue 14, item 3). */
const view = (name: string, extra: Partial<View> = {}): View => ({
  schema: 'public', name, materialized: false, definition: ' SELECT 1;', columns: [], options: [], dependsOn: ['public.orders'],
  indexes: [], owner: 'postgres', comment: null, grants: [], ...extra,
});
const snapshot = emptySnapshot({
  schemas: [{ name: 'public', owner: 'postgres', comment: null }, { name: 'reports', owner: 'postgres', comment: null }],
  tables: [table('public', 'orders', [column('id', 'bigint')])],
  views: [
    view('order_totals'),
    view('order_ids', { options: ['security_invoker=true'] }),
    view('daily', { materialized: true }),
    { ...view('monthly'), schema: 'reports' },
  ],
});
const stepOf = (security: SecuritySpec, name: string) => {
  const step = planSecurity(snapshot, specFor('/p', { security })).steps.find((s) => s.id === `security:view:public.${name}`);
  return { sql: (step?.sql ?? '').trimEnd(), down: (step?.down ?? '').trimEnd() };
};

describe('security.views', () => {
  it('without an entry, a view over tables without RLS reads as the caller and nobody but service_role is granted', () => {
    const { sql, down } = stepOf({}, 'order_totals');
    expect(sql).toBe([
      'alter view "public"."order_totals" set (security_invoker = true);',
      'revoke all on table "public"."order_totals" from anon, authenticated;',
      'grant select on table "public"."order_totals" to service_role;',
    ].join('\n'));
    expect(down).toBe('revoke all on table "public"."order_totals" from service_role;\nalter view "public"."order_totals" reset (security_invoker);');
  });

  it('open grants SELECT to the roles listed, the view still reading as the caller', () => {
    const { sql } = stepOf({ views: { 'public.order_totals': { open: ['anon', 'authenticated'] } } }, 'order_totals');
    expect(sql).toContain('set (security_invoker = true);');
    expect(sql).toContain('grant select on table "public"."order_totals" to anon, authenticated;');
  });

  it('rights: owner keeps the owner\'s rights (no security_invoker); rights: invoker on an invoker view changes nothing', () => {
    const owner = stepOf({ views: { 'public.order_totals': { rights: 'owner', open: ['authenticated'] } } }, 'order_totals');
    expect(owner.sql).not.toContain('security_invoker');
    expect(owner.sql).toContain('to authenticated;');
    expect(stepOf({ views: { 'public.order_ids': { rights: 'invoker', open: [] } } }, 'order_ids').sql).not.toContain('alter view');
  });

  it('rights: owner on a view the source made security_invoker turns it off, and the down turns it back on', () => {
    const { sql, down } = stepOf({ views: { 'public.order_ids': { rights: 'owner', open: [] } } }, 'order_ids');
    expect(sql).toContain('alter view "public"."order_ids" set (security_invoker = false);');
    expect(down).toContain('alter view "public"."order_ids" set (security_invoker = true);');
  });

  it('a materialized view is opened by open only', () => {
    expect(stepOf({}, 'daily').sql).not.toMatch(/to (anon|authenticated)/);
    expect(stepOf({ views: { 'public.daily': { open: ['authenticated'] } } }, 'daily').sql).toContain('grant select on table "public"."daily" to authenticated;');
  });

  it('names every key that does not fit: unknown view, schema not exposed, rights on a materialized view', () => {
    const views: SecuritySpec['views'] = {
      'public.nope': { open: ['anon'] },
      'reports.monthly': { open: ['anon'] },
      'public.daily': { rights: 'owner', open: [] },
    };
    let error: unknown;
    try {
      planSecurity(snapshot, specFor('/p', { security: { views } }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    const message = (error as Error).message;
    expect(message).toContain('security.views.public.nope: no view or materialized view public.nope in the source');
    expect(message).toContain('security.views.reports.monthly: schema reports is not exposed');
    expect(message).toContain('security.views.public.daily.rights: a materialized view has no rights of its own');
  });
});
