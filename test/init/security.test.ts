import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { analyze } from '../../src/analyze';
import { initProject } from '../../src/commands/init';
import { planProject } from '../../src/commands/plan';
import { closeNamedPglite } from '../../src/db';
import { renderInitSpec } from '../../src/init';
import { buildPlan } from '../../src/plan';
import { loadSpec, parseSpec } from '../../src/spec';
import type { Role } from '../../src/introspect/snapshot';
import { column, snapshot, table } from '../analyze/builder';
import { elearning } from '../analyze/fixtures';
import { CHINOOK_SQL, EXAMPLE_DIR } from '../helpers/sources';
import { withDb } from '../helpers/databases';

const OPTS = { name: 'app', sourceUrlExpr: '${SOURCE_DATABASE_URL}', targetUrlExpr: '${SUPABASE_DB_URL}' };
const ENV = { SOURCE_DATABASE_URL: 'postgresql://u@127.0.0.1/src', SUPABASE_DB_URL: 'postgresql://u@127.0.0.1/dst' };
const role = (name: string, canLogin: boolean): Role => ({ name, canLogin, superuser: false, bypassRls: false, memberOf: [] });

describe('init proposes security from the source', () => {
  it('maps the source grants: PUBLIC reads to anon, group roles to a role claim, login roles to a note', () => {
    const s = snapshot({
      tables: [
        table('public.products', [column('id', 'int8'), column('name', 'text')], { grants: [{ grantee: 'public', privileges: ['SELECT'] }] }),
        table('public.orders', [column('id', 'int8')], { grants: [{ grantee: 'backend', privileges: ['DELETE', 'INSERT', 'SELECT', 'UPDATE'] }, { grantee: 'clerk', privileges: ['INSERT', 'SELECT', 'TRUNCATE'] }, { grantee: 'service_role', privileges: ['SELECT'] }] }),
        table('public.faq', [column('id', 'int8')], { grants: [{ grantee: 'authenticated', privileges: ['SELECT'] }] }),
      ],
      roles: [role('backend', true), role('clerk', false)],
    });
    const text = renderInitSpec(s, analyze(s), OPTS);
    expect(parse(text).security).toEqual({
      'public.faq': [{ authenticated_read: true }],
      'public.orders': [{ role: { claim: 'app_metadata.role', values: ['clerk'] }, operations: ['insert', 'select'] }],
      'public.products': [{ public_read: {} }],
    });
    expect(text).toContain('# the source granted select, insert to role clerk: users whose app_metadata.role is clerk keep that access\n');
    expect(text).toContain('# public.orders: login role backend had select, insert, update, delete; a backend that connects as it should use service_role');
    const spec = parseSpec(text, '/p/migration.yaml', ENV);
    expect(buildPlan(spec, s).steps.map((x) => x.id)).toEqual(expect.arrayContaining(['security:policy:public.orders.insert.authenticated', 'security:policy:public.products.select.anon']));
  });

  it('an is_superuser flag becomes an app_metadata claim and "admin sees all" where users see their own rows', () => {
    const fkTo = (name: string, col: string) => ({ name, kind: 'f', definition: '', columns: [col], refTable: 'public.users', refColumns: ['id'], validated: true, deferrable: false, comment: null }) as never;
    const s = snapshot({
      tables: [
        table('public.users', [column('id', 'uuid', { notNull: true }), column('email', 'text'), column('is_superuser', 'bool')]),
        table('public.items', [column('id', 'int8'), column('owner', 'uuid')], { fks: [fkTo('items_owner_fkey', 'owner')] }),
      ],
    });
    const doc = parse(renderInitSpec(s, analyze(s), OPTS)).security;
    expect(doc.users_table.app_metadata).toEqual({ is_superuser: 'is_superuser' });
    const admin = { role: { claim: 'app_metadata.is_superuser', values: ['true'] }, operations: ['select'] };
    expect(doc['public.items']).toEqual([{ owner: { column: 'owner' }, operations: ['select'] }, admin]);
    expect(doc['public.users']).toEqual([{ owner: { column: 'id' }, operations: ['select'] }, admin]);
  });

  it('a uuid users table is linked to auth.users; integer owner columns stay commented out', () => {
    const uuidId = column('id', 'uuid', { notNull: true });
    const s = snapshot({
      tables: [
        table('public.users', [uuidId, column('email', 'text'), column('password_hash', 'text'), column('role', 'text')]),
        table('public.posts', [column('id', 'int8'), column('author_id', 'uuid'), column('is_published', 'bool')], { fks: [{ name: 'posts_author_id_fkey', kind: 'f', definition: '', columns: ['author_id'], refTable: 'public.users', refColumns: ['id'], validated: true, deferrable: false, comment: null } as never] }),
        table('public.tickets', [column('id', 'int8'), column('customer_id', 'int8')]),
      ],
    });
    const text = renderInitSpec(s, analyze(s), OPTS);
    const doc = parse(text).security;
    expect(doc.users_table).toEqual({ table: 'public.users', id_column: 'id', auth_users: 'seed', email_column: 'email', password_column: 'password_hash', app_metadata: { role: 'role' } });
    expect(doc['public.posts']).toEqual([{ owner: { column: 'author_id' }, operations: ['select'] }, { public_read: { filter: 'is_published' } }]);
    expect(doc['public.users']).toEqual([{ owner: { column: 'id' }, operations: ['select'] }]);
    expect(doc['public.tickets']).toBeUndefined();
    const ints = renderInitSpec(elearning(), analyze(elearning()), OPTS);
    expect(ints).toContain('  public.courses:\n');
    expect(ints).toContain('    # author_id is bigint, not a uuid: it cannot hold auth.uid() until the ids are mapped\n    # - owner: { column: author_id }\n    #   operations: [select]\n');
    expect(() => buildPlan(parseSpec(text, '/p/migration.yaml', ENV), s)).not.toThrow();
  });
});

describe('init on real sources writes a migration.yaml that loads and plans', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    await closeNamedPglite();
  });

  async function initFrom(files: string[], name: string) {
    const source = `pglite://memory/init-${name}`;
    await withDb(source, async (db) => {
      for (const f of files) await db.exec(readFileSync(f, 'utf8'));
    });
    const dir = mkdtempSync(join(tmpdir(), `sm-init-${name}-`));
    dirs.push(dir);
    await initProject({ source, dir, name });
    const text = readFileSync(join(dir, 'migration.yaml'), 'utf8');
    const spec = loadSpec(join(dir, 'migration.yaml'), { SUPABASE_DB_URL: 'pglite://memory/unused' });
    const planned = planProject(spec);
    return { text, spec, planned };
  }

  it('the example: users table, tenant, owners, memberships and publish flags, each explained', async () => {
    const { text, spec, planned } = await initFrom([join(EXAMPLE_DIR, 'source/schema.sql')], 'example');
    const sec = spec.security;
    expect(sec.usersTable).toEqual({ table: 'public.users', idColumn: 'id', authUsers: 'seed', emailColumn: 'email', passwordColumn: 'password_hash', appMetadata: { role: 'role', tenant_id: 'school_id' } });
    const kinds = (t: string) => (sec.tables?.[t] ?? []).map((p) => `${p.kind}:${p.operations.join(',')}`);
    expect(kinds('public.courses')).toEqual(['tenant:select', 'membership:select', 'public_read:select']);
    expect(kinds('public.schools')).toEqual(['tenant:select']);
    expect(kinds('public.submissions')).toEqual(['owner:select']);
    expect(sec.tables?.['public.modules']).toEqual([{ kind: 'membership', table: 'public.enrollments', key: 'course_id', memberKey: 'course_id', userColumn: 'user_id', operations: ['select'], roles: ['authenticated'] }]);
    expect(text).toContain('    # publish flag is_published: anyone, signed in or not, reads the rows where it is true\n    - public_read: { filter: is_published }\n');
    expect(text).toMatch(/# tenant column school_id found in \d+ tables \(school_id -> public\.schools\): members of a tenant read its rows/);
    expect(text).toContain('  # public.messages:\n    # owner column, recipient_id -> public.users, not named like an owner [low]');
    // Proposals open reads only: nothing but select is granted to the API roles.
    const plan = planned.plan;
    const policies = plan.steps.map((s) => s.id).filter((id) => id.startsWith('security:policy:'));
    expect(policies.length).toBeGreaterThan(20);
    expect(policies.filter((id) => !id.includes('.select.'))).toEqual([]);
    expect(plan.steps.map((s) => s.id)).toContain('security:fk:public.users.auth_users');
  });

  it('Chinook: nothing to propose, said so, and the file still plans', async () => {
    const { text, spec, planned } = await initFrom([CHINOOK_SQL], 'chinook');
    expect(text).toContain('# Nothing was detected to propose');
    expect(spec.security).toEqual({});
    expect(planned).toBeDefined();
  });
});
