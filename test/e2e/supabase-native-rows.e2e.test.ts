import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initProject } from '../../src/commands/init';
import { planProject } from '../../src/commands/plan';
import { applyProject } from '../../src/commands/apply';
import { bootstrapTarget } from '../../src/commands/bootstrap';
import { rollbackProject } from '../../src/commands/rollback';
import { closeNamedPglite, openDb, withDb, type Db } from '../../src/db';
import { storageApi } from '../../src/execute/storage';
import { loadSpec } from '../../src/spec';
import { serviceRoleKey, signJwt } from '../../src/storage-server/jwt';
import { startStandin, type Standin } from '../../src/storage-server/server';
import { freshDatabase, type FreshDatabase, TARGETS } from '../helpers/databases';

jest.setTimeout(600_000);

const ALICE = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';
const CAROL = '33333333-3333-4333-8333-333333333333';
const ZERO = '00000000-0000-0000-0000-000000000000';
const SECRET = 'native-rows-secret-0123456789abcdef';

/** An application built on Supabase, with its users, a profile-per-user trigger, buckets and storage policies. */
const NATIVE = `
create table public.profiles (id uuid primary key references auth.users (id) on delete cascade, name text);
create table public.teams (id int primary key, name text not null);
create table public.members (team_id int references public.teams, user_id uuid references auth.users (id) on delete cascade,
  primary key (team_id, user_id));
create function public.handle_new_user() returns trigger language plpgsql security definer set search_path = '' as $$
begin insert into public.profiles (id, name) values (new.id, split_part(new.email, '@', 1)); return new; end $$;
create trigger on_auth_user_created after insert on auth.users for each row execute function public.handle_new_user();
insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, raw_app_meta_data, created_at)
  select '${ZERO}', u.id::uuid, 'authenticated', 'authenticated', u.email, '$2a$10$abcdefghijklmnopqrstuv', now(), '{"provider":"email"}', now()
  from (values ('${ALICE}', 'alice@example.com'), ('${BOB}', 'bob@example.com'), ('${CAROL}', 'carol@example.com')) as u(id, email);
update auth.users set confirmation_token = null where id = '${CAROL}';
insert into auth.identities (provider_id, user_id, identity_data, provider)
  select id::text, id, jsonb_build_object('sub', id::text, 'email', email), 'email' from auth.users;
insert into public.teams values (1, 'red'), (2, 'blue');
insert into public.members values (1, '${ALICE}'), (2, '${BOB}'), (2, '${CAROL}');
insert into storage.buckets (id, name, public, file_size_limit) values ('avatars', 'avatars', true, 1048576), ('docs', 'docs', false, null);
alter publication supabase_realtime add table public.profiles;
create policy "avatars for signed-in users" on storage.objects for select to authenticated using (bucket_id = 'avatars');
create policy "own folder" on storage.objects for select to authenticated
  using (bucket_id = 'docs' and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy "buckets for signed-in users" on storage.buckets for select to authenticated using (true);
`;

const OBJECTS: [bucket: string, path: string][] = [['avatars', 'a.png'], ['docs', `${ALICE}/cv.txt`], ['docs', `${BOB}/notes.txt`]];
const CALLERS: [name: string, claims: Record<string, unknown>][] = [
  ['anon', { role: 'anon' }],
  ...[ALICE, BOB, CAROL].map((sub): [string, Record<string, unknown>] => [sub, { sub, role: 'authenticated' }]),
];

/** Which caller may download which object, asked of the storage stand-in serving `url`'s database. */
async function readableMatrix(url: string, kind: string): Promise<string[]> {
  const db: Db = await openDb(url);
  const root = mkdtempSync(join(tmpdir(), 'sm-native-objects-'));
  let standin: Standin | undefined;
  try {
    standin = await startStandin({ db, root, jwtSecret: SECRET });
    const service = storageApi(standin.url, serviceRoleKey(SECRET));
    for (const [bucket, path] of OBJECTS) {
      const up = await service.from(bucket).upload(path, Buffer.from(`${bucket}/${path}`), { contentType: 'text/plain' });
      if (up.error) throw new Error(`${kind}: upload ${bucket}/${path}: ${up.error.message}`);
    }
    const out: string[] = [];
    for (const [name, claims] of CALLERS) {
      const api = storageApi(standin.url, signJwt(claims, SECRET));
      for (const [bucket, path] of OBJECTS) {
        const got = await api.from(bucket).download(path);
        out.push(`${name} ${bucket}/${path} ${got.error ? 'denied' : Buffer.from(await (got.data as Blob).arrayBuffer()).toString()}`);
      }
    }
    return out;
  } finally {
    await standin?.close();
    await db.close();
    rmSync(root, { recursive: true, force: true });
  }
}

const rowsOf = async (url: string, sql: string) => withDb(url, async (db) => (await db.query<Record<string, unknown>>(sql)).rows);

describe.each(TARGETS)('a Supabase-native source with users, buckets and storage policies, on %s', (kind) => {
  let source: FreshDatabase;
  let target: FreshDatabase;
  let dir: string;
  beforeAll(async () => {
    source = await freshDatabase(kind, 'nat_src');
    target = await freshDatabase(kind, 'nat_tgt');
    await bootstrapTarget(source.url);
    await withDb(source.url, (db) => db.exec(NATIVE));
    dir = mkdtempSync(join(tmpdir(), 'sm-native-rows-'));
  });
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
    await closeNamedPglite();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const spec = () => loadSpec(join(dir, 'migration.yaml'), { SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: target.ownerUrl });

  it('moves users with their ids before the rows that reference them; keys hold, validated; the trigger is carried', async () => {
    await initProject({ source: source.url, dir, name: 'native' });
    expect(readFileSync(join(dir, 'migration.yaml'), 'utf8')).toContain('Rows of auth.identities, auth.users, storage.buckets move with their ids');
    planProject(spec());
    await bootstrapTarget(target.url);
    const r = await applyProject(spec());
    expect(r.error).toBeNull();
    const users = `select id::text, email, encrypted_password, coalesce(confirmation_token, 'NULL') as token from auth.users order by id`;
    const sourceUsers = await rowsOf(source.url, users);
    // NULL tokens break sign-in on Supabase: the import writes '' instead.
    expect(await rowsOf(target.url, users)).toEqual(sourceUsers.map((u) => ({ ...u, token: '' })));
    const identities = `select user_id::text, provider, provider_id from auth.identities order by 1`;
    expect(await rowsOf(target.url, identities)).toEqual(await rowsOf(source.url, identities));
    const profiles = 'select id::text, name from public.profiles order by 1';
    expect(await rowsOf(target.url, profiles)).toEqual(await rowsOf(source.url, profiles));
    const keys = `select conrelid::regclass::text || ' -> ' || confrelid::regclass::text || ' ' || convalidated as k
      from pg_constraint where contype = 'f' and connamespace = 'public'::regnamespace order by 1`;
    expect((await rowsOf(target.url, keys)).map((k) => k.k)).toEqual(['members -> auth.users true', 'members -> teams true', 'profiles -> auth.users true']);
    // A user who signs up on the target gets a profile from the carried trigger.
    await withDb(target.url, (db) => db.exec(`insert into auth.users (id, email) values ('44444444-4444-4444-8444-444444444444', 'dan@example.com')`));
    expect(await rowsOf(target.url, `select name from public.profiles where id = '44444444-4444-4444-8444-444444444444'`)).toEqual([{ name: 'dan' }]);
    await withDb(target.url, (db) => db.exec(`delete from auth.users where id = '44444444-4444-4444-8444-444444444444'`));
  });

  it('carries bucket rows and storage policies: the same users read the same objects through the storage stand-in', async () => {
    const buckets = 'select id, name, public, file_size_limit::text as l from storage.buckets order by id';
    expect(await rowsOf(target.url, buckets)).toEqual(await rowsOf(source.url, buckets));
    const onSource = await readableMatrix(source.url, 'source');
    expect(onSource).toContain(`${ALICE} docs/${ALICE}/cv.txt docs/${ALICE}/cv.txt`);
    expect(onSource).toContain(`${BOB} docs/${ALICE}/cv.txt denied`);
    expect(onSource).toContain('anon avatars/a.png denied');
    expect(await readableMatrix(target.url, 'target')).toEqual(onSource);
  });

  it('rollback --all removes exactly the users, identities and buckets it imported', async () => {
    await withDb(target.url, (db) => db.exec(`delete from storage.objects; insert into auth.users (id, email) values ('55555555-5555-4555-8555-555555555555', 'eve@example.com')`));
    const r = await rollbackProject(spec(), { all: true });
    expect(r.error ?? null).toBeNull();
    expect(await rowsOf(target.url, 'select id::text from auth.users order by 1')).toEqual([{ id: '55555555-5555-4555-8555-555555555555' }]);
    expect(await rowsOf(target.url, 'select count(*)::int as n from storage.buckets')).toEqual([{ n: 0 }]);
  });
});
