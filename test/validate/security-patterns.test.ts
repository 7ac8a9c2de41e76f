import { bootstrapTarget } from '../../src/commands/bootstrap';
import { closeNamedPglite, withDb } from '../../src/db';
import { introspect } from '../../src/introspect';
import { planSecurity } from '../../src/plan/security';
import { parseSpec } from '../../src/spec';
import { securityMatrix, type SecurityMatrix } from '../../src/validate/security';
import { SOME_USER } from '../../src/validate/security-expect';
import { freshDatabase, type FreshDatabase, TARGETS } from '../helpers/databases';

const OWNER = 'aaaaaaaa-0000-4000-8000-000000000001';
const MEMBER = 'aaaaaaaa-0000-4000-8000-000000000002';
const ORG = 'bbbbbbbb-0000-4000-8000-000000000001';

const SCHEMA = `
create table public.own_notes (id serial primary key, owner_id uuid not null, body text);
create table public.tenant_docs (id bigint generated always as identity primary key, org_id uuid not null, title text);
create table public.team_members (team_id integer not null, user_id uuid not null, primary key (team_id, user_id));
create table public.team_tasks (id serial primary key, team_id integer not null, done boolean not null default false);
create table public.admin_settings (key text primary key, value text);
create table public.posts (id serial primary key, published boolean not null, body text);
create table public.drafts (id serial primary key, published boolean not null, body text);
create table public.tags (id serial primary key, label text);
create table public.secrets (id serial primary key, token text);
create table public.chats (id serial primary key, a uuid not null, b uuid not null, body text);
create table public.handles (id serial primary key, user_id text not null, body text);
create table public.guarded (id serial primary key, body text);
create function public.refuse_writes() returns trigger language plpgsql as $$
begin raise exception 'the application refuses this row'; end $$;
`;
// Created after the rows go in: the application's own trigger refuses every later write.
const GUARD = `create trigger guard before insert or update on public.guarded for each row execute function public.refuse_writes();`;

const ROWS = `
insert into public.own_notes (owner_id, body) values ('${OWNER}', 'mine');
insert into public.tenant_docs (org_id, title) values ('${ORG}', 'plan');
insert into public.team_members values (7, '${MEMBER}');
insert into public.team_tasks (team_id) values (7);
insert into public.admin_settings values ('theme', 'dark');
insert into public.posts (published, body) values (true, 'hello');
insert into public.drafts (published, body) values (false, 'draft');
insert into public.tags (label) values ('news');
insert into public.secrets (token) values ('s3cr3t');
insert into public.chats (a, b, body) values ('${SOME_USER}', '${OWNER}', 'hi');
insert into public.handles (user_id, body) values ('@ada:example.org', 'not a Supabase user id');
insert into public.guarded (body) values ('kept');
`;

const SPEC = `version: 1
name: patterns
security:
  public.own_notes:
    - owner: { column: owner_id }
  public.tenant_docs:
    - tenant: { column: org_id, claim: app_metadata.org_id }
  public.team_members:
    - owner: { column: user_id }
      operations: [select]
  public.team_tasks:
    - membership: { table: public.team_members, key: team_id, member_key: team_id }
  public.admin_settings:
    - role: { claim: app_metadata.role, values: [admin, owner] }
  public.posts:
    - public_read: { filter: published }
  public.drafts:
    - public_read: { filter: published }
  public.tags:
    - authenticated_read: true
  public.secrets:
    - service_only: true
  public.chats:
    - custom: { using: "(select auth.uid()) in (a, b)", with_check: "a = (select auth.uid())" }
      operations: [select, insert]
  public.handles:
    - owner: { column: user_id }
  public.guarded:
    - authenticated_read: true
`;

/** Per table and actor: select, insert, update, delete as y (allowed) or n (denied), written by hand. */
const EXPECTED: Record<string, Record<string, string>> = {
  'public.own_notes': { owner: 'yyyy', other_user: 'nynn', anon: 'nnnn', service_role: 'yyyy' },
  // Inserting copies the row with the actor's own tenant and owner values: allowed for them.
  'public.tenant_docs': { owner: 'yyyy', other_user: 'yyyy', other_tenant: 'nynn', anon: 'nnnn', service_role: 'yyyy' },
  'public.team_tasks': { owner: 'yyyy', other_user: 'nnnn', anon: 'nnnn' },
  'public.admin_settings': { role_holder: 'yyyy', owner: 'nnnn', other_user: 'nnnn', anon: 'nnnn' },
  'public.posts': { anon: 'ynnn', other_user: 'ynnn' },
  'public.drafts': { anon: 'nnnn', other_user: 'nnnn' },
  'public.tags': { other_user: 'ynnn', anon: 'nnnn', service_role: 'yyyy' },
  'public.secrets': { owner: 'nnnn', other_user: 'nnnn', anon: 'nnnn', service_role: 'yyyy' },
  'public.chats': { owner: 'yynn', other_user: 'nnnn', anon: 'nnnn' },
  // A text owner column holding an id auth.uid() can never be: nobody's rows, anyone writes their own.
  'public.handles': { owner: 'nynn', other_user: 'nynn', anon: 'nnnn', service_role: 'yyyy' },
  // The trigger's RAISE is the application's answer, not a denial: the cell is judged without it.
  'public.guarded': { other_user: 'ynnn', anon: 'nnnn', service_role: 'yyyy' },
};

const OPS = ['select', 'insert', 'update', 'delete'];

describe.each(TARGETS)('each security pattern on %s', (kind) => {
  let db: FreshDatabase;
  let matrix: SecurityMatrix;
  beforeAll(async () => {
    db = await freshDatabase(kind, 'secpat');
    await bootstrapTarget(db.url);
    await withDb(db.ownerUrl, (c) => c.exec(SCHEMA));
    const snapshot = await withDb(db.ownerUrl, (c) => introspect(c));
    const spec = parseSpec(SPEC, '/p/migration.yaml', {});
    const plan = planSecurity(snapshot, spec);
    await withDb(db.ownerUrl, async (c) => {
      for (const s of plan.steps) await c.exec(s.sql);
      await c.exec(ROWS);
      await c.exec(GUARD);
    });
    matrix = await withDb(db.ownerUrl, (c) => securityMatrix(c, snapshot, spec));
  });
  afterAll(async () => {
    await db?.drop();
    await closeNamedPglite();
  });

  it.each(Object.keys(EXPECTED))('%s: the right actors are allowed, the wrong user, wrong tenant and anon denied', (table) => {
    const actual: Record<string, string> = {};
    for (const actor of Object.keys(EXPECTED[table])) {
      actual[actor] = OPS.map((op) => {
        const c = matrix.cells.find((x) => x.table === table && x.actor === actor && x.operation === op);
        return c?.actual === true ? 'y' : c?.actual === false ? 'n' : '?';
      }).join('');
    }
    expect(actual).toEqual(EXPECTED[table]);
  });

  it('refuses rows written into someone else\'s tenant or name', async () => {
    const as = (claims: object, sql: string) => withDb(db.ownerUrl, async (c) => {
      await c.exec('begin');
      try {
        await c.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ role: 'authenticated', ...claims })]);
        await c.exec(sql);
        return 'allowed';
      } catch (err) {
        return (err as { code?: string }).code;
      } finally {
        await c.exec('rollback');
      }
    });
    const stranger = 'cccccccc-0000-4000-8000-000000000001';
    const otherOrg = { sub: stranger, app_metadata: { org_id: 'dddddddd-0000-4000-8000-000000000001' } };
    expect(await as(otherOrg, `insert into public.tenant_docs (org_id, title) values ('${ORG}', 'x')`)).toBe('42501');
    expect(await as(otherOrg, `insert into public.tenant_docs (org_id, title) values ('${otherOrg.app_metadata.org_id}', 'x')`)).toBe('allowed');
    expect(await as({ sub: stranger }, `insert into public.own_notes (owner_id) values ('${OWNER}')`)).toBe('42501');
    expect(await as({ sub: OWNER }, `update public.own_notes set owner_id = '${stranger}'`)).toBe('42501');
    expect(await as({ sub: stranger }, `insert into public.team_tasks (team_id) values (7)`)).toBe('42501');
    expect(await as({ sub: MEMBER }, `insert into public.team_tasks (team_id) values (7)`)).toBe('allowed');
  });

  it('the spec-derived expectation agrees with the database everywhere', () => {
    expect(matrix.cells.filter((c) => c.actual !== c.expected)).toEqual([]);
    expect(matrix.unprobed).toEqual([]);
  });
});
