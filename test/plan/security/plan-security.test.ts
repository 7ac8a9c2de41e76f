import { UserError } from '../../../src/errors';
import type { Index } from '../../../src/introspect/snapshot';
import { buildPlan } from '../../../src/plan';
import { planSecurity } from '../../../src/plan/security';
import type { SecurityPattern, SecuritySpec } from '../../../src/spec/types';
import { column, emptySnapshot, table } from '../../helpers/snapshot';
import { specFor } from '../../helpers/spec';

const ALL = ['delete', 'insert', 'select', 'update'] as SecurityPattern['operations'];
const pkIndex = (t: string, col: string): Index => ({ name: `${t}_pkey`, definition: '', unique: true, primary: true, constraint: `${t}_pkey`, columns: [col], partial: false, comment: null });

const teams = table('public', 'team_members', [column('team_id', 'bigint'), column('user_id', 'uuid')], { indexes: [pkIndex('team_members', 'team_id')] });
const notes = table('public', 'notes', [column('id', 'bigint'), column('owner_id', 'uuid'), column('org_id', 'integer'), column('team_id', 'bigint'), column('shared', 'boolean')], {
  indexes: [pkIndex('notes', 'id'), { ...pkIndex('notes', 'org_id'), name: 'notes_org_idx', primary: false, unique: false }],
});
const hidden = table('public', 'secrets', [column('id', 'bigint')], { rlsEnabled: true });
const report = table('analytics', 'report', [column('id', 'bigint')]);
const snapshot = emptySnapshot({
  schemas: [{ name: 'analytics', owner: 'postgres', comment: null }, { name: 'public', owner: 'postgres', comment: null }],
  tables: [notes, teams, hidden, report],
  sequences: [{ schema: 'public', name: 'notes_id_seq', dataType: 'bigint', start: '1', increment: '1', min: '1', max: '9', cache: '1', cycle: false, ownedBy: 'public.notes.id', comment: null }],
  views: [{ schema: 'public', name: 'note_titles', materialized: false, definition: ' SELECT 1;', columns: [], options: [], dependsOn: ['public.notes'], indexes: [], owner: 'postgres', comment: null, grants: [] }],
  policies: [
    { schema: 'public', table: 'secrets', name: 'old', command: 'r', permissive: true, roles: ['authenticated'], using: 'true', withCheck: null },
  ],
});

const spec = (security: SecuritySpec) => specFor('/p', { security });
const plan = (tables: Record<string, SecurityPattern[]>) => planSecurity(snapshot, spec({ tables }));
const sqlOf = (tables: Record<string, SecurityPattern[]>, id: string) => plan(tables).steps.find((s) => s.id === id)?.sql;

describe('planSecurity', () => {
  it('denies by default without a security section: RLS on every exposed table, grants to service_role only', () => {
    const steps = planSecurity(snapshot, spec({})).steps;
    expect(steps.filter((s) => s.kind === 'table-access').map((s) => s.id)).toEqual(['security:table:public.notes', 'security:table:public.secrets', 'security:table:public.team_members']);
    const notesSql = steps.find((s) => s.id === 'security:table:public.notes')?.sql ?? '';
    expect(notesSql).toContain('alter table "public"."notes" enable row level security;');
    expect(notesSql).toContain('revoke all on table "public"."notes" from anon, authenticated;');
    expect(notesSql).not.toMatch(/to (anon|authenticated);/);
    expect(steps.some((s) => s.kind === 'policy')).toBe(false);
  });

  it('carries the source policies of a table the source had RLS on: grants follow them, never beyond the source grants', () => {
    const secrets = (grants: { grantee: string; privileges: string[] }[]) => {
      const snap = { ...snapshot, tables: snapshot.tables.map((t) => (t.name === 'secrets' ? { ...t, grants } : t)) };
      return planSecurity(snap, spec({})).steps.find((s) => s.id === 'security:table:public.secrets')?.sql ?? '';
    };
    // No grant to an API role at the source: the policies alone bound it.
    expect(secrets([])).toContain('grant select on table "public"."secrets" to authenticated;');
    expect(secrets([])).not.toContain('to anon;');
    // Supabase's grants (everything to anon and authenticated) do not widen the policy.
    const all = ['DELETE', 'INSERT', 'SELECT', 'UPDATE'];
    expect(secrets([{ grantee: 'anon', privileges: all }, { grantee: 'authenticated', privileges: all }])).toMatch(/grant select on table "public"."secrets" to authenticated;\ngrant select, insert/);
    // A source that denied the grant keeps denying, whatever the policy says.
    expect(secrets([{ grantee: 'anon', privileges: ['SELECT'] }])).not.toContain('to authenticated;');
    expect(planSecurity(snapshot, spec({})).files.map((f) => f.path)).not.toContain('supabase/tests/database/secrets.test.sql');
  });

  it('owner: uid wrapped in a select, to authenticated, grants only what the pattern opens', () => {
    const tables = { 'public.notes': [{ kind: 'owner', column: 'owner_id', operations: ['select', 'update'], roles: ['authenticated'] }] as SecurityPattern[] };
    expect(sqlOf(tables, 'security:policy:public.notes.select.authenticated')).toBe(
      'create policy "authenticated can select" on "public"."notes"\n  as permissive\n  for select\n  to authenticated\n  using ("owner_id" = (select auth.uid()));\n',
    );
    expect(sqlOf(tables, 'security:policy:public.notes.update.authenticated')).toContain('using ("owner_id" = (select auth.uid()))\n  with check ("owner_id" = (select auth.uid()));');
    expect(sqlOf(tables, 'security:table:public.notes')).toBe([
      'alter table "public"."notes" enable row level security;',
      'revoke all on table "public"."notes" from anon, authenticated;',
      'grant select, update on table "public"."notes" to authenticated;',
      'grant select, insert, update, delete on table "public"."notes" to service_role;',
      'grant usage on sequence "public"."notes_id_seq" to service_role;',
      '',
    ].join('\n'));
    expect(plan(tables).steps.filter((s) => s.id.includes('.insert.') || s.id.includes('.delete.'))).toEqual([]);
  });

  it('tenant: claim path read with -> and ->>, cast to the column type; no index when one leads with the column', () => {
    const tables = { 'public.notes': [{ kind: 'tenant', column: 'org_id', claim: ['app_metadata', 'org'], operations: ['select'], roles: ['authenticated'] }] as SecurityPattern[] };
    expect(sqlOf(tables, 'security:policy:public.notes.select.authenticated')).toContain(`using ("org_id" = (select (((select auth.jwt()) -> 'app_metadata' ->> 'org'))::integer));`);
    expect(plan(tables).steps.some((s) => s.kind === 'index')).toBe(false);
  });

  it('membership: key in the caller\'s memberships; indexes on both sides; insert policies only check', () => {
    const tables = { 'public.notes': [{ kind: 'membership', table: 'public.team_members', key: 'team_id', memberKey: 'team_id', userColumn: 'user_id', operations: ALL, roles: ['authenticated'] }] as SecurityPattern[] };
    const insert = sqlOf(tables, 'security:policy:public.notes.insert.authenticated');
    expect(insert).toContain('with check ("team_id" in (select "team_id" from "public"."team_members" where "user_id" = (select auth.uid())));');
    expect(insert).not.toContain('using');
    const indexes = plan(tables).steps.filter((s) => s.kind === 'index').map((s) => s.sql);
    expect(indexes).toEqual([
      'create index "notes_team_id_rls_idx" on "public"."notes" ("team_id");\n',
      'create index "team_members_user_id_rls_idx" on "public"."team_members" ("user_id");\n',
    ]);
    expect(sqlOf(tables, 'security:table:public.notes')).toContain('grant usage on sequence "public"."notes_id_seq" to authenticated;');
  });

  it('role: a wrapped call of the private SECURITY DEFINER helper with an empty search_path', () => {
    const tables = { 'public.notes': [{ kind: 'role', claim: ['app_metadata', 'role'], values: ['admin'], operations: ['delete'], roles: ['authenticated'] }] as SecurityPattern[] };
    const steps = plan(tables).steps;
    expect(steps.slice(0, 2).map((s) => s.id)).toEqual(['security:schema:private', 'security:function:private.jwt_claim_in']);
    expect(steps[1].sql).toContain("security definer set search_path = ''");
    expect(sqlOf(tables, 'security:policy:public.notes.delete.authenticated')).toContain(`using ((select "private"."jwt_claim_in"(array['app_metadata', 'role']::text[], array['admin']::text[])));`);
  });

  it('merges the patterns of one role and action into one permissive policy', () => {
    const tables = { 'public.notes': [
      { kind: 'public_read', filter: 'shared', operations: ['select'], roles: ['anon', 'authenticated'] },
      { kind: 'owner', column: 'owner_id', operations: ['select'], roles: ['authenticated'] },
    ] as SecurityPattern[] };
    const ids = plan(tables).steps.filter((s) => s.kind === 'policy').map((s) => s.id);
    expect(ids).toEqual(['security:policy:public.notes.select.anon', 'security:policy:public.notes.select.authenticated']);
    expect(sqlOf(tables, ids[1])).toContain('using (("shared")\n    or ("owner_id" = (select auth.uid())));');
    expect(sqlOf(tables, ids[0])).toContain('using ("shared");');
  });

  it('puts a tenant arm before an owner arm, whatever the spec\'s order, so `or` stops at the broader one', () => {
    const tables = { 'public.notes': [
      { kind: 'owner', column: 'owner_id', operations: ['select'], roles: ['authenticated'] },
      { kind: 'tenant', column: 'org_id', claim: ['app_metadata', 'org'], operations: ['select'], roles: ['authenticated'] },
    ] as SecurityPattern[] };
    const sql = sqlOf(tables, 'security:policy:public.notes.select.authenticated') ?? '';
    expect(sql).toMatch(/using \(\("org_id" = [^\n]*\)\n {4}or \("owner_id" = \(select auth.uid\(\)\)\)\);/);
  });

  it('a policy column index carries the table\'s other policy columns, so the whole policy can be checked in the index', () => {
    const tables = { 'public.notes': [
      { kind: 'owner', column: 'owner_id', operations: ['select'], roles: ['authenticated'] },
      { kind: 'membership', table: 'public.team_members', key: 'team_id', memberKey: 'team_id', userColumn: 'user_id', operations: ['select'], roles: ['authenticated'] },
      { kind: 'tenant', column: 'org_id', claim: ['app_metadata', 'org'], operations: ['select'], roles: ['authenticated'] },
    ] as SecurityPattern[] };
    const steps = plan(tables).steps.filter((s) => s.kind === 'index');
    // org_id already leads an index: none is added for it, but the others carry it.
    expect(steps.map((s) => s.sql)).toEqual([
      'create index "notes_owner_id_rls_idx" on "public"."notes" ("owner_id") include ("org_id", "team_id");\n',
      'create index "notes_team_id_rls_idx" on "public"."notes" ("team_id") include ("org_id", "owner_id");\n',
      'create index "team_members_user_id_rls_idx" on "public"."team_members" ("user_id");\n',
    ]);
    expect(steps[0].down).toContain('drop index "public"."notes_owner_id_rls_idx";');
  });

  it('custom: using and with check as written; service_only opens nothing', () => {
    const tables = {
      'public.notes': [{ kind: 'custom', using: 'shared', withCheck: 'org_id > 0', operations: ['update'], roles: ['authenticated'] }] as SecurityPattern[],
      'public.team_members': [{ kind: 'service_only', operations: [], roles: [] }] as SecurityPattern[],
    };
    expect(sqlOf(tables, 'security:policy:public.notes.update.authenticated')).toContain('using (shared)\n  with check (org_id > 0);');
    expect(plan(tables).steps.filter((s) => s.id.startsWith('security:policy:public.team_members'))).toEqual([]);
    expect(sqlOf(tables, 'security:table:public.team_members')).not.toContain('to authenticated');
  });

  it('denies by default every other exposed table, keeps RLS on in the down when the source had it, and sets views to security_invoker', () => {
    const steps = plan({ 'public.notes': [{ kind: 'owner', column: 'owner_id', operations: ['select'], roles: ['authenticated'] }] }).steps;
    const secrets = steps.find((s) => s.id === 'security:table:public.secrets');
    expect(secrets?.sql).toContain('grant select, insert, update, delete on table "public"."secrets" to service_role;');
    expect(secrets?.down).not.toContain('disable row level security');
    expect(steps.find((s) => s.id === 'security:table:public.notes')?.down).toContain('disable row level security');
    expect(steps.some((s) => s.id.includes('analytics'))).toBe(false);
    expect(steps.find((s) => s.id === 'security:view:public.note_titles')?.sql).toContain('alter view "public"."note_titles" set (security_invoker = true);');
  });

  it('buildPlan keeps the source policies of tables the spec does not name, drops those of tables it names', () => {
    const owner: SecurityPattern = { kind: 'owner', column: 'owner_id', operations: ['select'], roles: ['authenticated'] };
    const kept = buildPlan(spec({ tables: { 'public.notes': [owner] } }), snapshot).steps.map((s) => s.id);
    expect(kept).toContain('policy:public.secrets.old');
    expect(kept.indexOf('rls:public.secrets')).toBeLessThan(kept.indexOf('security:table:public.secrets'));
    const replaced = buildPlan(spec({ tables: { 'public.secrets': [{ kind: 'service_only', operations: [], roles: [] }] } }), snapshot).steps.map((s) => s.id);
    expect(replaced).not.toContain('policy:public.secrets.old');
  });

  it('is deterministic', () => {
    const tables = { 'public.notes': [{ kind: 'owner', column: 'owner_id', operations: ALL, roles: ['authenticated'] }] as SecurityPattern[] };
    expect(plan(tables)).toEqual(plan(tables));
  });

  it('names every unknown table and column in one UserError', () => {
    const bad = () => planSecurity(snapshot, spec({
      usersTable: { table: 'public.users', idColumn: 'id', authUsers: 'seed', emailColumn: 'email', passwordColumn: null, appMetadata: {} },
      tables: {
        'public.nope': [{ kind: 'authenticated_read', operations: ['select'], roles: ['authenticated'] }],
        'public.notes': [
          { kind: 'owner', column: 'author', operations: ['select'], roles: ['authenticated'] },
          { kind: 'membership', table: 'public.team_members', key: 'team_id', memberKey: 'team', userColumn: 'member', operations: ['select'], roles: ['authenticated'] },
          { kind: 'public_read', filter: 'org_id', operations: ['select'], roles: ['anon'] },
        ],
      },
    }));
    expect(bad).toThrow(UserError);
    expect(bad).toThrow(/security\.public\.nope: no table public\.nope/);
    expect(bad).toThrow(/security\.public\.notes\[0\]\.owner: public\.notes has no column author/);
    expect(bad).toThrow(/security\.public\.notes\[1\]\.membership\.table: public\.team_members has no column team\n.*has no column member/);
    expect(bad).toThrow(/security\.public\.notes\[2\]\.public_read\.filter: public\.notes\.org_id is integer, not boolean/);
    expect(bad).toThrow(/security\.users_table: no table public\.users/);
  });
});
