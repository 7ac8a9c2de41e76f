import { analyze } from '../../src/analyze';
import { renderAnalysis } from '../../src/cli/render/analysis';
import { analyzeRelationships } from '../../src/analyze/relationships';
import { assessRisks } from '../../src/analyze/risks';
import type { Snapshot } from '../../src/introspect/snapshot';
import { column, fk, id, routine, snapshot, table } from './builder';

const risksOf = (s: Snapshot) => assessRisks(s, analyzeRelationships(s));
const codes = (s: Snapshot) => risksOf(s).map((r) => `${r.severity} ${r.code} ${r.object}`);
const ext = (name: string) => ({ name, schema: 'extensions', version: '1.0', members: [] });

describe('assessRisks', () => {
  it('returns nothing for a clean table', () => {
    expect(codes(snapshot({ tables: [table('public.notes', [id(), column('body', 'text')])] }))).toEqual([]);
  });

  it('flags tables without a primary key', () => {
    expect(codes(snapshot({ tables: [table('public.log', [column('line', 'text')])] }))).toEqual(['medium no-primary-key public.log']);
  });

  it('does not flag partitions keyed on themselves or on a parent, nor a parent whose partitions are all keyed', () => {
    const cols = [column('id', 'int8'), column('at', 'date')];
    const part = (name: string, of: string, pk: string[] | null = null) => table(name, cols, { pk, partitionOf: of, partitionBound: 'DEFAULT' });
    const s = snapshot({
      tables: [
        table('public.events', cols, { kind: 'p', pk: ['id', 'at'], partitionKey: 'RANGE (at)' }),
        part('public.events_2024', 'public.events'),
        part('public.events_2024_q1', 'public.events_2024'),
        table('public.logs', cols, { kind: 'p', pk: null, partitionKey: 'RANGE (at)' }),
        part('public.logs_a', 'public.logs', ['id']),
        table('public.raw', cols, { kind: 'p', pk: null, partitionKey: 'RANGE (at)' }),
        part('public.raw_a', 'public.raw'),
      ],
    });
    expect(codes(s)).toEqual(['medium no-primary-key public.raw', 'medium no-primary-key public.raw_a']);
  });

  it('does not call a self-referencing foreign key a cycle', () => {
    const tree = table('public.tree', [id(), column('parent_id', 'int8')], { fks: [fk('tree_parent', 'parent_id', 'public.tree')] });
    expect(codes(snapshot({ tables: [tree] }))).toEqual([]);
  });

  it('judges extensions against the Supabase list', () => {
    const s = snapshot({ extensions: [ext('pgcrypto'), ext('vector'), ext('lo'), ext('file_fdw'), ext('acme_magic')] });
    expect(codes(s)).toEqual([
      'high extension-unavailable extension lo',
      'high superuser-only-object extension file_fdw',
      'medium extension-unknown extension acme_magic',
    ]);
  });

  it('flags untrusted-language functions unless an extension owns them', () => {
    const s = snapshot({
      extensions: [{ ...ext('citext'), members: ['public.citext_in'] }],
      functions: [
        routine('public.score', { language: 'plpython3u', identityArgs: 'x integer' }),
        routine('public.citext_in', { language: 'c' }),
        routine('public.fast', { language: 'c' }),
        routine('public.ok', { language: 'sql' }),
      ],
    });
    expect(codes(s)).toEqual(['high superuser-only-object public.fast()', 'high superuser-only-object public.score(x integer)']);
  });

  it('flags SECURITY DEFINER functions without a fixed search_path', () => {
    const s = snapshot({
      functions: [
        routine('public.open', { securityDefiner: true, definition: 'CREATE FUNCTION public.open() ... AS $$ select 1 $$' }),
        routine('public.safe', { securityDefiner: true, definition: "CREATE FUNCTION public.safe() SECURITY DEFINER SET search_path TO '' AS $$ select 1 $$" }),
      ],
    });
    expect(codes(s)).toEqual(['high security-definer-search-path public.open()']);
  });

  it('flags objects in Supabase-owned schemas and a public.users table', () => {
    const s = snapshot({
      tables: [table('auth.sessions', [id()]), table('public.users', [id(), column('email', 'text')])],
      functions: [routine('storage.cleanup')],
    });
    const risks = risksOf(s);
    expect(risks.map((r) => `${r.severity} ${r.code} ${r.object}`)).toEqual([
      'high reserved-schema schema auth', 'high reserved-schema schema storage', 'medium public-users-table public.users',
    ]);
    expect(risks[0].why).toContain('(1 found: auth.sessions)');
    expect(risks[2].mitigation).toContain('profiles');
  });

  it('flags custom roles by what depends on them', () => {
    const s = snapshot({
      tables: [table('public.notes', [id()], { owner: 'app_owner', grants: [{ grantee: 'reporting', privileges: ['SELECT'] }, { grantee: 'anon', privileges: ['SELECT'] }] })],
      roles: [
        { name: 'admin_su', canLogin: true, superuser: true, bypassRls: true, memberOf: [] },
        { name: 'idle', canLogin: false, superuser: false, bypassRls: false, memberOf: [] },
        { name: 'supabase_admin', canLogin: true, superuser: true, bypassRls: true, memberOf: [] },
      ],
    });
    expect(codes(s)).toEqual([
      'high custom-role role admin_su', 'medium custom-role role app_owner', 'medium custom-role role reporting', 'low custom-role role idle',
    ]);
  });

  it('flags large tables by rows or bytes', () => {
    const s = snapshot({
      tables: [
        table('public.events', [id()], { estimatedRows: 20_000_000, sizeBytes: 2 * 1024 ** 3 }),
        table('public.blobs', [id()], { estimatedRows: 1000, sizeBytes: 200 * 1024 ** 3 }),
        table('public.small', [id()], { estimatedRows: 10_000_000, sizeBytes: 10 * 1024 ** 3 }),
      ],
    });
    expect(codes(s)).toEqual(['high large-table public.blobs', 'medium large-table public.events']);
    expect(risksOf(s)[1].why).toBe('about 20,000,000 rows and 2.0 GiB: one copy would hold a long transaction');
  });

  it('flags dangerous column types, json, embedding arrays and serials', () => {
    const s = snapshot({
      tables: [table('public.t', [
        id(), column('rel', 'regclass'), column('price', 'money'), column('odd', 'unknown'), column('doc', 'json'),
        column('embedding', 'float4', { isArray: true }), column('n', 'int4', { default: "nextval('public.t_n_seq'::regclass)" }),
        column('plain', 'int4', { default: "nextval('public.shared_seq'::regclass)" }),
      ])],
      sequences: [{ schema: 'public', name: 't_n_seq', dataType: 'integer', start: '1', increment: '1', min: '1', max: '2147483647', cache: '1', cycle: false, ownedBy: 'public.t.n', comment: null }],
    });
    expect(codes(s)).toEqual([
      'high unsupported-type public.t.odd',
      'medium embedding-array public.t.embedding',
      'medium unsupported-type public.t.price',
      'medium unsupported-type public.t.rel',
      'low json-column public.t.doc',
      'low serial-column public.t.n',
    ]);
  });

  it('flags RLS without policies and foreign key cycles', () => {
    const s = snapshot({
      tables: [
        table('public.locked', [id()], { rlsEnabled: true }),
        table('public.open', [id()], { rlsEnabled: true }),
        table('public.a', [id(), column('b_id', 'int8')], { fks: [fk('a_b', 'b_id', 'public.b')] }),
        table('public.b', [id(), column('a_id', 'int8')], { fks: [fk('b_a', 'a_id', 'public.a')] }),
      ],
      policies: [{ schema: 'public', table: 'open', name: 'read', permissive: true, command: 'r', roles: ['authenticated'], using: 'true', withCheck: null }],
    });
    const risks = risksOf(s);
    expect(risks.map((r) => `${r.severity} ${r.code} ${r.object}`)).toEqual([
      'medium fk-cycle public.a, public.b', 'medium rls-without-policies public.locked',
    ]);
    expect(risks[0].why).toContain('public.a.a_b');
  });
});

describe('risks of objects the spec excludes', () => {
  it('are set apart, named, and not counted as the migration\'s risks', () => {
    const s = snapshot({
      tables: [table('public.log', [column('line', 'text')]), table('public.kept', [column('line', 'text')]), table('archive.old', [column('x', 'text')])],
    });
    const selected = { ...s, tables: s.tables.filter((t) => t.name === 'kept'), schemas: s.schemas.filter((x) => x.name !== 'archive') };
    const a = analyze(s, { selected });
    expect(a.risks.map((r) => `${r.code} ${r.object}`)).toEqual(['no-primary-key public.kept']);
    expect((a.excludedRisks ?? []).map((r) => `${r.code} ${r.object}`)).toEqual(['no-primary-key archive.old', 'no-primary-key public.log']);
    expect(renderAnalysis(a)).toContain('excluded by the spec, not migrated (2): no-primary-key archive.old; no-primary-key public.log');
    expect(analyze(s).excludedRisks).toBeUndefined();
  });
});
