import { BOOTSTRAP_REQUIREMENTS, SUPABASE_MANAGED_SCHEMAS, isSupabaseManagedSchema } from '../../src/bootstrap';
import { membership, publication, role, schemaUsage, sqlFunction, table } from '../../src/bootstrap/requirement';

describe('requirement builders', () => {
  it('creates a role only when pg_roles lacks it and tolerates a concurrent creator', () => {
    const r = role('we"ird', 'nologin');
    expect(r.name).toBe('role we"ird');
    expect(r.check).toBe(`exists (select from pg_catalog.pg_roles where rolname = 'we"ird')`);
    expect(r.create).toBe(
      `do $bootstrap$ begin if not exists (select from pg_catalog.pg_roles where rolname = 'we"ird') then create role "we""ird" nologin; end if; ` +
      'exception when duplicate_object or unique_violation then null; end $bootstrap$;',
    );
  });

  it('quotes literals in checks', () => {
    expect(publication("o'brien").check).toBe(`exists (select from pg_catalog.pg_publication where pubname = 'o''brien')`);
  });

  it('grants every membership at once and checks that all are held', () => {
    const m = membership('authenticator', ['anon', 'service_role']);
    expect(m.create).toContain('grant "anon" to "authenticator"; grant "service_role" to "authenticator";');
    expect(m.check).toMatch(/\) = 2$/);
  });

  it('counts explicit grants per role and privilege, so a PUBLIC grant does not satisfy the check', () => {
    const g = schemaUsage('public', ['anon', 'authenticated']);
    expect(g.create).toBe('grant usage on schema "public" to "anon", "authenticated";');
    expect(g.check).toContain(`join pg_catalog.pg_roles r on r.oid = a.grantee`);
    expect(g.check).toMatch(/ = 2$/);
  });

  it('builds tables from quoted columns plus constraints', () => {
    const t = table('s', 't', [['id', 'int primary key'], ['name', 'text']], ['unique (name)']);
    expect(t.create).toBe('create table if not exists "s"."t" (\n  "id" int primary key,\n  "name" text,\n  unique (name)\n);');
    expect(t.check).toBe(`pg_catalog.to_regclass('s.t') is not null`);
  });

  it('finds functions by their signature', () => {
    const f = sqlFunction('storage', 'filename', 'name text', 'text', 'text', 'immutable', 'select 1');
    expect(f.name).toBe('function storage.filename(text)');
    expect(f.check).toBe(`pg_catalog.to_regprocedure('storage.filename(text)') is not null`);
    expect(f.create).toMatch(/^create or replace function "storage"\."filename"\(name text\) returns text\n {2}language sql immutable\n/);
  });
});

describe('the bootstrap list', () => {
  it('names each requirement once', () => {
    const names = BOOTSTRAP_REQUIREMENTS.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('creates every schema before anything inside it', () => {
    const names = BOOTSTRAP_REQUIREMENTS.map((r) => r.name);
    for (const [i, name] of names.entries()) {
      const inside = /^(?:table|function) (\w+)\./.exec(name);
      if (inside && inside[1] !== 'public') expect(names.indexOf(`schema ${inside[1]}`)).toBeLessThan(i);
    }
  });

  it('lists managed schemas sorted and covers what bootstrap creates', () => {
    expect([...SUPABASE_MANAGED_SCHEMAS]).toEqual([...SUPABASE_MANAGED_SCHEMAS].sort());
    for (const s of ['auth', 'storage', 'extensions', 'supabase_migrations', 'realtime', 'supamigrate']) {
      expect(isSupabaseManagedSchema(s)).toBe(true);
    }
    expect(isSupabaseManagedSchema('public')).toBe(false);
  });
});
