import { planProject } from '../../src/commands/plan';
import { rollbackProject } from '../../src/commands/rollback';
import { closeNamedPglite, withDb } from '../../src/db';
import { introspect } from '../../src/introspect';
import { compareSchemas } from '../../src/validate';
import { withoutPlannedSecurity } from '../../src/validate/security-diff';
import { TARGETS } from '../helpers/databases';
import { applyExample, type AppliedExample } from './security-helpers';

describe.each(TARGETS)('security plan of the example on %s', (kind) => {
  let ex: AppliedExample;
  beforeAll(async () => {
    ex = await applyExample(kind);
  });
  afterAll(async () => {
    await ex?.drop();
    await closeNamedPglite();
  });

  it('plans the same bytes again, pgTAP files included', () => {
    expect(planProject(ex.spec, { check: true }).changed).toEqual([]);
  });

  it('turns RLS on for every public table', async () => {
    const rows = await withDb(ex.target.url, (db) => db.query<{ name: string; rls: boolean }>(`select c.relname as name, c.relrowsecurity as rls from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') order by 1`));
    expect(rows.rows.length).toBeGreaterThan(20);
    expect(rows.rows.filter((r) => !r.rls)).toEqual([]);
  });

  it('schema parity explains exactly the differences the security plan makes', async () => {
    const filter = { includeSchemas: ex.spec.schema.includeSchemas, excludeSchemas: ex.spec.schema.excludeSchemas };
    const compare = async () => {
      const source = await withDb(ex.source.url, (db) => introspect(db, filter));
      const target = await withDb(ex.target.url, (db) => introspect(db));
      const raw = compareSchemas(source, target, ex.spec.schema);
      return { raw, kept: withoutPlannedSecurity(raw, source, ex.spec) };
    };
    const before = await compare();
    expect(before.raw.map((d) => d.object)).toEqual(expect.arrayContaining(['table public.users', 'policy public.users.authenticated can select']));
    expect(before.kept).toEqual([]);
    await withDb(ex.target.url, (db) => db.exec('alter table public.users add column extra int; create index users_extra_idx on public.users (extra); alter function public.write_audit() set work_mem = \'8MB\';'));
    const after = await compare();
    expect(after.kept.map((d) => `${d.kind} ${d.object}`)).toEqual(['unexpected column public.users.extra', 'different function public.write_audit()', 'unexpected index public.users.users_extra_idx']);
  });

  it('seeds one auth.users row and email identity per migrated user, with its hash and app_metadata', async () => {
    const rows = await withDb(ex.target.url, (db) => db.query<{ users: string; linked: string; hashed: string; identities: string; meta_ok: string }>(`
      select (select count(*) from public.users)::text as users,
        (select count(*) from public.users p join auth.users a on a.id = p.id and a.email = p.email::text)::text as linked,
        (select count(*) from public.users p join auth.users a on a.id = p.id where a.encrypted_password = coalesce(p.password_hash, ''))::text as hashed,
        (select count(*) from auth.identities i join public.users p on i.user_id = p.id and i.provider = 'email' and i.provider_id = p.id::text)::text as identities,
        (select count(*) from public.users p join auth.users a on a.id = p.id
          where a.raw_app_meta_data ->> 'tenant_id' = p.school_id::text and a.raw_app_meta_data ->> 'role' = p.role::text and a.aud = 'authenticated')::text as meta_ok`));
    const r = rows.rows[0];
    expect(Number(r.users)).toBeGreaterThan(5);
    expect(r).toEqual({ users: r.users, linked: r.users, hashed: r.users, identities: r.users, meta_ok: r.users });
  });

  it('public.users.id references auth.users(id) on delete cascade; a profile without an auth user is refused', async () => {
    await withDb(ex.target.url, async (db) => {
      const fk = await db.query<{ def: string }>(`select pg_get_constraintdef(oid) as def from pg_constraint where conname = 'users_id_auth_users_fkey' and conrelid = 'public.users'::regclass`);
      expect(fk.rows.map((r) => r.def)).toEqual(['FOREIGN KEY (id) REFERENCES auth.users(id) ON DELETE CASCADE']);
      await db.exec('begin');
      try {
        await expect(db.exec(`insert into public.users (id, school_id, email, first_name) select '00000000-0000-4000-8000-0000000000aa', school_id, 'nobody@example.com', 'N' from public.users limit 1`)).rejects.toThrow(/users_id_auth_users_fkey/);
      } finally {
        await db.exec('rollback');
      }
    });
  });

  it('publishes realtime.tables in supabase_realtime; the table without a primary key with replica identity full', async () => {
    const rows = await withDb(ex.target.url, (db) => db.query<{ t: string; ident: string }>(`
      select p.schemaname || '.' || p.tablename as t, c.relreplident::text as ident from pg_publication_tables p
      join pg_class c on c.oid = (quote_ident(p.schemaname) || '.' || quote_ident(p.tablename))::regclass
      where p.pubname = 'supabase_realtime' order by 1`));
    expect(rows.rows).toEqual([{ t: 'public.audit_log', ident: 'f' }, { t: 'public.messages', ident: 'd' }, { t: 'public.notifications', ident: 'd' }]);
  });

  it('rolls every security step back', async () => {
    const r = await rollbackProject(ex.spec, { all: true });
    expect(r).toMatchObject({ ok: true, remaining: 0 });
    const left = await withDb(ex.target.url, (db) => db.query<{ n: string }>(`select count(*)::text as n from pg_namespace where nspname in ('private', 'public') and exists (select 1 from pg_class c where c.relnamespace = pg_namespace.oid and c.relkind = 'r')`));
    expect(left.rows[0].n).toBe('0');
    const helper = await withDb(ex.target.url, (db) => db.query(`select 1 from pg_namespace where nspname = 'private'`));
    expect(helper.rows).toEqual([]);
    const auth = await withDb(ex.target.url, (db) => db.query<{ users: string; seeded: string | null }>(`select (select count(*) from auth.users)::text as users, to_regclass('supamigrate.seeded_auth_users')::text as seeded`));
    expect(auth.rows[0]).toEqual({ users: '0', seeded: null });
    const published = await withDb(ex.target.url, (db) => db.query(`select 1 from pg_publication_tables where pubname = 'supabase_realtime'`));
    expect(published.rows).toEqual([]);
  });
});
