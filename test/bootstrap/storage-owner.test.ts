import { bootstrap } from '../../src/bootstrap';
import { describeEach, freshDatabase, withDb, type FreshDatabase } from '../helpers/databases';

const server = process.env.TEST_DATABASE_URL;

// As on Supabase: the storage tables are supabase_storage_admin's, and `postgres` (here the
// database owner, not a superuser) may still write policies on them and triggers on auth.users.
describeEach(server ? ['server'] : [], 'bootstrap on the %s: Supabase-owned tables the owner may extend', () => {
  let db: FreshDatabase;
  beforeAll(async () => {
    db = await freshDatabase('server', 'boot_own');
    await withDb(db.url, (admin) => bootstrap(admin));
  });
  afterAll(() => db?.drop());

  it('gives storage.objects/buckets to supabase_storage_admin and auth.users to supabase_auth_admin', async () => {
    const owners = await withDb(db.url, (admin) => admin.query<{ t: string; o: string }>(
      `select c.relname::text as t, pg_get_userbyid(c.relowner)::text as o from pg_class c
        where c.oid in ('storage.objects'::regclass, 'storage.buckets'::regclass) order by 1`));
    expect(owners.rows).toEqual([{ t: 'buckets', o: 'supabase_storage_admin' }, { t: 'objects', o: 'supabase_storage_admin' }]);
    const auth = await withDb(db.url, (admin) => admin.query<{ o: string }>(`select pg_get_userbyid(relowner)::text as o from pg_class where oid = 'auth.users'::regclass`));
    expect(auth.rows).toEqual([{ o: 'supabase_auth_admin' }]);
  });

  it('lets the owner create and drop storage policies and auth.users triggers', async () => {
    await withDb(db.ownerUrl, async (owner) => {
      await owner.exec(`
        create policy own_files on storage.objects for select to authenticated using (owner_id = (select auth.uid())::text);
        create policy see_buckets on storage.buckets for select to authenticated using (true);
        create function public.on_user() returns trigger language plpgsql as $$ begin return new; end $$;
        create trigger on_user after insert on auth.users for each row execute function public.on_user();`);
      const { rows } = await owner.query<{ n: number }>(
        `select (select count(*) from pg_policies where schemaname = 'storage')::int
          + (select count(*) from pg_trigger where tgrelid = 'auth.users'::regclass and not tgisinternal)::int as n`);
      expect(rows[0].n).toBe(3);
      // and drop them again, as a rollback does
      await owner.exec('drop trigger on_user on auth.users; drop policy own_files on storage.objects;');
    });
  });

  it('finds everything present on a second run', async () => {
    expect((await withDb(db.url, (admin) => bootstrap(admin))).created).toEqual([]);
  });
});

if (!server) it('needs TEST_DATABASE_URL for a non-superuser owner', () => expect(server).toBeUndefined());
