import { parseSpec } from '../../../src/spec';

const file = '/project/migration.yaml';
const load = (security: string) => parseSpec(`version: 1\nname: app\nsecurity:\n${security}`, file, {});
const problems = (security: string): string => {
  try {
    load(security);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('the spec loaded');
};

describe('security spec', () => {
  it('maps every pattern with its defaults', () => {
    const spec = load(`  users_table: { table: public.users }
  acknowledge_anon_writes: [public.feedback]
  public.courses:
    - tenant: { column: school_id }
    - public_read: { filter: is_published }
    - role: { claim: app_metadata.role, values: [teacher, admin] }
      operations: [update, insert]
  public.modules:
    - membership: { table: public.course_teachers, key: course_id, member_key: course_id }
    - authenticated_read: true
  public.audit_log:
    - service_only: true
  public.feedback:
    - custom: { with_check: "true", to: [anon] }
      operations: [insert]
    - owner: { column: user_id }
`);
    expect(spec.security).toEqual({
      usersTable: { table: 'public.users', idColumn: 'id', authUsers: 'seed', emailColumn: 'email', passwordColumn: null, appMetadata: {} },
      acknowledgeAnonWrites: ['public.feedback'],
      tables: {
        'public.audit_log': [{ kind: 'service_only', operations: [], roles: [] }],
        'public.courses': [
          { kind: 'tenant', column: 'school_id', claim: ['app_metadata', 'tenant_id'], operations: ['delete', 'insert', 'select', 'update'], roles: ['authenticated'] },
          { kind: 'public_read', filter: 'is_published', operations: ['select'], roles: ['anon', 'authenticated'] },
          { kind: 'role', claim: ['app_metadata', 'role'], values: ['teacher', 'admin'], operations: ['insert', 'update'], roles: ['authenticated'] },
        ],
        'public.feedback': [
          { kind: 'custom', using: null, withCheck: 'true', operations: ['insert'], roles: ['anon'] },
          { kind: 'owner', column: 'user_id', operations: ['delete', 'insert', 'select', 'update'], roles: ['authenticated'] },
        ],
        'public.modules': [
          { kind: 'membership', table: 'public.course_teachers', key: 'course_id', memberKey: 'course_id', userColumn: 'user_id', operations: ['delete', 'insert', 'select', 'update'], roles: ['authenticated'] },
          { kind: 'authenticated_read', operations: ['select'], roles: ['authenticated'] },
        ],
      },
    });
  });

  it('leaves the section empty when the file has none', () => {
    expect(parseSpec('version: 1\nname: app\n', file, {}).security).toEqual({});
  });

  it('rejects an empty claim path with its line', () => {
    expect(problems('  public.t:\n    - role: { claim: "", values: [admin] }\n')).toMatch(/:5:\d+ .*security\.public\.t\[0\]\.role\.claim/);
  });

  it('rejects anon writes that are not acknowledged, and accepts them once they are', () => {
    const body = '  public.t:\n    - custom: { using: "true", to: [anon] }\n';
    expect(problems(body)).toMatch(/opens insert, update, delete on public\.t to anon[\s\S]*acknowledge_anon_writes/);
    expect(load(`  acknowledge_anon_writes: [public.t]\n${body}`).security.tables?.['public.t'][0].roles).toEqual(['anon']);
  });

  it('rejects items with no pattern, two patterns, writes on a read pattern, and unknown keys', () => {
    const message = problems(`  public.t:
    - operations: [select]
    - owner: { column: a }
      tenant: { column: b }
    - public_read: {}
      operations: [insert]
    - owner: { colum: a }
  not_a_table: []
`);
    expect(message).toMatch(/names no access pattern/);
    expect(message).toMatch(/names 2 access patterns \(owner, tenant\)/);
    expect(message).toMatch(/public_read only reads, but operations list insert/);
    expect(message).toMatch(/colum/);
    expect(message).toMatch(/not_a_table/);
  });
});
