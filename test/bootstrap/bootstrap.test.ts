import type { Db } from '../../src/db';
import { UserError } from '../../src/errors';
import { assertSupabaseShaped, bootstrap, BOOTSTRAP_REQUIREMENTS, isSupabaseShaped } from '../../src/bootstrap';
import { openTarget, TARGETS, type Target } from './targets';

const ALICE = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';

/** Runs `sql` the way PostgREST serves a request: one transaction, a role, the JWT claims. */
async function asRequest<R>(db: Db, role: string, claims: object | null, sql: string): Promise<R[]> {
  return db.transaction(async (tx) => {
    await tx.exec(`set local role ${role}`);
    if (claims) await tx.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(claims)]);
    return (await tx.query<R>(sql)).rows;
  });
}

describe.each(TARGETS)('bootstrap on %s', (kind) => {
  let target: Target;
  let db: Db;

  beforeAll(async () => {
    target = await openTarget(kind, 'bootstrap');
    db = target.db;
  });
  afterAll(async () => {
    await target.dispose();
  });

  it('reports an empty database as not Supabase-shaped, naming what is missing', async () => {
    const shape = await isSupabaseShaped(db);
    expect(shape.ok).toBe(false);
    expect(shape.missing).toEqual(expect.arrayContaining([
      'function auth.jwt()', 'function auth.uid()', 'publication supabase_realtime', 'schema extensions',
      'table storage.buckets', 'table storage.objects',
    ]));
    expect(shape.missing).toEqual([...shape.missing].sort());
    // Roles are cluster-wide: on a shared server they may exist already, on PGlite they cannot.
    if (kind === 'pglite') expect(shape.missing).toContain('role service_role');
    await expect(assertSupabaseShaped(db, 'postgresql://me:secret@db.example/app')).rejects.toThrow(UserError);
    await expect(assertSupabaseShaped(db, 'postgresql://me:secret@db.example/app')).rejects.toThrow(/^(?!.*secret).*missing function auth.jwt\(\)/);
  });

  it('creates what is missing once, then finds everything present', async () => {
    const first = await bootstrap(db);
    const all = BOOTSTRAP_REQUIREMENTS.map((r) => r.name);
    expect([...first.present, ...first.created].sort()).toEqual([...all].sort());
    expect(first.created).toEqual(expect.arrayContaining([
      'schema auth', 'table auth.users', 'table auth.identities', 'function auth.uid()', 'table storage.objects',
      'row level security on storage.objects', 'publication supabase_realtime', 'table supabase_migrations.schema_migrations',
      'usage on schema public to anon, authenticated, service_role',
    ]));
    if (kind === 'pglite') expect(first.created).toContain('role authenticator');

    const second = await bootstrap(db);
    expect(second.created).toEqual([]);
    expect(second.present).toEqual(all);
    expect(await isSupabaseShaped(db)).toEqual({ ok: true, missing: [] });
    await expect(assertSupabaseShaped(db, 'pglite://memory')).resolves.toBeUndefined();
  });

  it("resolves names through extensions in later sessions, as a Supabase project's roles do", async () => {
    // PGlite has one session: there the setting shows in pg_db_role_setting only.
    const later = await target.connect();
    const setting = await later.query<{ c: string[] }>(
      `select s.setconfig as c from pg_db_role_setting s join pg_database d on d.oid = s.setdatabase
        where d.datname = current_database() and s.setrole = 0`,
    );
    expect(setting.rows[0].c).toContain('search_path="$user", public, extensions');
    if (kind === 'server') expect((await later.query<{ search_path: string }>('show search_path')).rows[0].search_path).toBe('"$user", public, extensions');
  });

  it('gives the roles the attributes Supabase gives them', async () => {
    const { rows } = await db.query<{ rolname: string; rolcanlogin: boolean; rolinherit: boolean; rolbypassrls: boolean }>(
      `select rolname, rolcanlogin, rolinherit, rolbypassrls from pg_roles
        where rolname in ('anon', 'authenticated', 'service_role', 'authenticator') order by rolname`);
    expect(rows).toEqual([
      { rolname: 'anon', rolcanlogin: false, rolinherit: false, rolbypassrls: false },
      { rolname: 'authenticated', rolcanlogin: false, rolinherit: false, rolbypassrls: false },
      { rolname: 'authenticator', rolcanlogin: true, rolinherit: false, rolbypassrls: false },
      { rolname: 'service_role', rolcanlogin: false, rolinherit: false, rolbypassrls: true },
    ]);
    const members = await db.query<{ role: string }>(
      `select r.rolname as role from pg_auth_members m join pg_roles r on r.oid = m.roleid
        where m.member = 'authenticator'::regrole order by 1`);
    expect(members.rows.map((r) => r.role)).toEqual(['anon', 'authenticated', 'service_role']);
  });

  it('reads the caller from request.jwt.claims the way PostgREST sets them', async () => {
    const claims = { sub: ALICE, role: 'authenticated', email: 'alice@example.com', app_metadata: { tenant_id: 't1' } };
    const [row] = await asRequest<{ uid: string; role: string; email: string; tenant: string }>(db, 'authenticated', claims,
      `select auth.uid() as uid, auth.role() as role, auth.email() as email, auth.jwt() -> 'app_metadata' ->> 'tenant_id' as tenant`);
    expect(row).toEqual({ uid: ALICE, role: 'authenticated', email: 'alice@example.com', tenant: 't1' });

    const [anon] = await asRequest<{ uid: string | null; jwt: unknown }>(db, 'anon', null, 'select auth.uid() as uid, auth.jwt() as jwt');
    expect(anon).toEqual({ uid: null, jwt: null });
    // After a request the setting lingers as '' in the session; it must still read as no caller.
    const after = await db.query<{ uid: string | null }>('select auth.uid() as uid');
    expect(after.rows[0].uid).toBeNull();
  });

  it('lets a policy on (select auth.uid()) filter rows per caller, and service_role bypass it', async () => {
    await db.exec(`
      create table public.notes (id int primary key, user_id uuid not null, body text);
      alter table public.notes enable row level security;
      create policy notes_own on public.notes for select to authenticated using ((select auth.uid()) = user_id);
      grant select on public.notes to anon, authenticated, service_role;
      insert into public.notes values (1, '${ALICE}', 'a1'), (2, '${ALICE}', 'a2'), (3, '${BOB}', 'b1');
    `);
    const ids = async (role: string, sub: string | null) =>
      (await asRequest<{ id: number }>(db, role, sub ? { sub, role } : null, 'select id from public.notes order by id')).map((r) => r.id);
    expect(await ids('authenticated', ALICE)).toEqual([1, 2]);
    expect(await ids('authenticated', BOB)).toEqual([3]);
    expect(await ids('anon', null)).toEqual([]);
    expect(await ids('service_role', null)).toEqual([1, 2, 3]);
  });

  it('splits object names with the storage helpers', async () => {
    const { rows } = await db.query<{ folders: string[]; file: string; ext: string; top: string[]; bare: string }>(
      `select storage.foldername('a/b/c.pdf') as folders, storage.filename('a/b/c.pdf') as file,
              storage.extension('a/b/c.pdf') as ext, storage.foldername('c.pdf') as top, storage.extension('a/README') as bare`);
    expect(rows[0]).toEqual({ folders: ['a', 'b'], file: 'c.pdf', ext: 'pdf', top: [], bare: 'README' });
  });

  it('keeps storage objects behind RLS while service_role writes them', async () => {
    await asRequest(db, 'service_role', null, `insert into storage.buckets (id, name) values ('docs', 'docs')`);
    await asRequest(db, 'service_role', null,
      `insert into storage.objects (bucket_id, name, owner_id) values ('docs', '${ALICE}/cv.pdf', '${ALICE}')`);
    await db.exec(`create policy own_folder on storage.objects for select to authenticated
      using (bucket_id = 'docs' and (storage.foldername(name))[1] = (select auth.uid())::text)`);
    const names = async (sub: string) =>
      (await asRequest<{ name: string; path_tokens: string[] }>(db, 'authenticated', { sub, role: 'authenticated' },
        'select name, path_tokens from storage.objects'));
    expect(await names(ALICE)).toEqual([{ name: `${ALICE}/cv.pdf`, path_tokens: [ALICE, 'cv.pdf'] }]);
    expect(await names(BOB)).toEqual([]);
    await expect(asRequest(db, 'anon', null, `insert into storage.buckets (id, name) values ('x', 'x')`)).rejects.toThrow(/row-level security/);
  });

  it('accepts auth users and identities the way an import writes them', async () => {
    await db.exec(`
      insert into auth.users (instance_id, id, aud, role, email, encrypted_password, raw_app_meta_data)
        values ('00000000-0000-0000-0000-000000000000', '${ALICE}', 'authenticated', 'authenticated', 'alice@example.com', 'x', '{"provider":"email"}');
      insert into auth.identities (provider_id, user_id, identity_data, provider)
        values ('${ALICE}', '${ALICE}', '{"sub":"${ALICE}","email":"Alice@Example.com"}', 'email');`);
    const { rows } = await db.query<{ confirmation_token: string; is_anonymous: boolean; email: string }>(
      `select u.confirmation_token, u.is_anonymous, i.email from auth.users u join auth.identities i on i.user_id = u.id`);
    expect(rows).toEqual([{ confirmation_token: '', is_anonymous: false, email: 'alice@example.com' }]);
    await db.exec(`delete from auth.users where id = '${ALICE}'`);
    expect((await db.query('select 1 from auth.identities')).rows).toHaveLength(0);
  });

  it('repairs only what was removed, and sets BYPASSRLS on an existing service_role', async () => {
    const fresh = await openTarget(kind, 'bootstrap_repair');
    try {
      // Altering a cluster-wide role on the shared server would disturb other tests, so only PGlite.
      if (kind === 'pglite') await fresh.db.exec('create role service_role nologin');
      const first = await bootstrap(fresh.db);
      if (kind === 'pglite') {
        // PGlite's owner is a superuser, so the owner's privileges are already there.
        expect(first.present).toEqual(['role service_role', 'privileges of the database owner']);
        expect(first.created).toContain('role service_role bypassrls');
      }
      await fresh.db.exec(`
        drop publication supabase_realtime;
        alter table storage.objects disable row level security;
        drop function storage.extension(text);
        revoke usage on schema extensions from anon;`);
      expect((await isSupabaseShaped(fresh.db)).missing).toEqual(['publication supabase_realtime']);
      const repaired = await bootstrap(fresh.db);
      expect(repaired.created).toEqual([
        'usage on schema extensions to anon, authenticated, service_role',
        'publication supabase_realtime',
        'row level security on storage.objects',
        'function storage.extension(text)',
        'execute on storage.extension(text) to anon, authenticated, service_role',
      ]);
      expect((await bootstrap(fresh.db)).created).toEqual([]);
    } finally {
      await fresh.dispose();
    }
  });

  it('lets concurrent bootstraps of one database create everything exactly once', async () => {
    const fresh = await openTarget(kind, 'bootstrap_race');
    try {
      const other = await fresh.connect();
      const [a, b] = await Promise.all([bootstrap(fresh.db), bootstrap(other)]);
      const createdTwice = a.created.filter((name) => b.created.includes(name));
      expect(createdTwice).toEqual([]);
      expect(a.created.length + b.created.length).toBeGreaterThan(0);
      expect(await isSupabaseShaped(other)).toEqual({ ok: true, missing: [] });
    } finally {
      await fresh.dispose();
    }
  });
});
