import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initProject } from '../../src/commands/init';
import { planProject } from '../../src/commands/plan';
import { applyProject } from '../../src/commands/apply';
import { bootstrapTarget } from '../../src/commands/bootstrap';
import { closeNamedPglite, withDb } from '../../src/db';
import { loadSpec } from '../../src/spec';
import { freshDatabase, type FreshDatabase, TARGETS } from '../helpers/databases';

/** An application with its own `auth` schema (not Supabase's) and a schema named in Persian. */
const RESERVED = `
create schema auth;
create type auth.jwt_token as (token text, role text);
create function auth.sign(who text) returns text language sql immutable as $$ select 'signed:' || who $$;
create schema app;
create table app.accounts (name text primary key, pass text not null);
create function app.login(who text) returns auth.jwt_token language sql stable
  as $$ select row(auth.sign(a.name), 'member')::auth.jwt_token from app.accounts a where a.name = who $$;
create view app.tokens as select name, (app.login(name)).token from app.accounts;
create schema "تست";
create table "تست"."موضوع" (id int primary key, title text, owner text default auth.sign('x'));
insert into app.accounts values ('ada', 'pw'), ('bob', 'pw');
insert into "تست"."موضوع" (id, title) values (1, 'سلام');
`;

/** An application built on Supabase: keys to auth.users and storage.buckets. */
const NATIVE = `
create table public.profiles (id uuid primary key references auth.users (id) on delete cascade, name text);
create table public.avatars (id int primary key, bucket text references storage.buckets (id), owner uuid references auth.users (id));
create function public.me() returns uuid language sql stable as $$ select auth.uid() $$;
alter publication supabase_realtime add table public.profiles;
create policy "own avatars" on storage.objects for select to authenticated
  using (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy "public buckets" on storage.buckets for select to anon, authenticated using (public);
`;

const one = async (url: string, sql: string) => withDb(url, async (db) => (await db.query<{ v: unknown }>(sql)).rows[0]?.v);

describe.each(TARGETS)('sources that use Supabase names, on %s', (kind) => {
  const made: FreshDatabase[] = [];
  const fresh = async (purpose: string) => {
    const d = await freshDatabase(kind, purpose);
    made.push(d);
    return d;
  };
  afterAll(async () => {
    for (const d of made) await d.drop();
    await closeNamedPglite();
  });

  it('renames an auth schema that is the application\'s own, and every reference follows', async () => {
    const source = await fresh('src');
    const target = await fresh('tgt');
    await withDb(source.url, (db) => db.exec(RESERVED));
    const dir = mkdtempSync(join(tmpdir(), 'sm-reserved-'));
    await initProject({ source: source.url, dir, name: 'reserved' });
    const yaml = readFileSync(join(dir, 'migration.yaml'), 'utf8');
    expect(yaml).toContain('  rename_schemas:\n    "auth": "app_auth"\n');
    expect(yaml).toContain('    - "تست"\n');
    const spec = loadSpec(join(dir, 'migration.yaml'), { SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: target.ownerUrl });
    planProject(spec);
    await bootstrapTarget(target.url);
    const r = await applyProject(spec);
    expect(r.error).toBeNull();
    expect(await one(target.ownerUrl, `select (app.login('ada')).token as v`)).toBe('signed:ada');
    expect(await one(target.ownerUrl, `select pg_get_function_result('app.login'::regproc) as v`)).toBe('app_auth.jwt_token');
    expect(await one(target.ownerUrl, `select string_agg(token, ',' order by name) as v from app.tokens`)).toBe('signed:ada,signed:bob');
    expect(await one(target.ownerUrl, `select title || ' ' || owner as v from "تست"."موضوع"`)).toBe('سلام signed:x');
    // Supabase's own auth schema on the target is untouched: no type of the application's in it.
    expect(await one(target.ownerUrl, `select to_regtype('auth.jwt_token')::text as v`)).toBeNull();
  });

  it('keeps foreign keys to auth.users and storage.buckets, validated, storage policies and realtime membership are carried, and init says the source is Supabase-native', async () => {
    const source = await fresh('src');
    const target = await fresh('tgt');
    await bootstrapTarget(source.url);
    await withDb(source.url, (db) => db.exec(NATIVE));
    const dir = mkdtempSync(join(tmpdir(), 'sm-native-'));
    await initProject({ source: source.url, dir, name: 'native' });
    const yaml = readFileSync(join(dir, 'migration.yaml'), 'utf8');
    expect(yaml).toMatch(/# Supabase-native source: 3 foreign keys to auth\.users, storage\.buckets \(kept[^\n]*; 1 function or policy calling auth\.uid\(\)/);
    expect(yaml).not.toContain('rename_schemas');
    expect(yaml).toContain('realtime:\n  # in the source\'s supabase_realtime publication\n  tables:\n    - "public.profiles"\n');
    const spec = loadSpec(join(dir, 'migration.yaml'), { SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: target.ownerUrl });
    planProject(spec);
    await bootstrapTarget(target.url);
    // Bootstrap lets the database owner create policies on the storage tables, as postgres may on Supabase.
    const r = await applyProject(spec);
    expect(r.error).toBeNull();
    const keys = await withDb(target.url, async (db) =>
      (await db.query<{ k: string }>(`select conrelid::regclass::text || ' -> ' || confrelid::regclass::text || ' ' || convalidated as k
        from pg_constraint where contype = 'f' and connamespace = 'public'::regnamespace order by 1`)).rows.map((x) => x.k));
    expect(keys).toEqual(['avatars -> auth.users true', 'avatars -> storage.buckets true', 'profiles -> auth.users true']);
    expect(await one(target.url, `select string_agg(schemaname || '.' || tablename, ',') as v from pg_publication_tables where pubname = 'supabase_realtime'`)).toBe('public.profiles');
    // Policies on Supabase's storage tables are carried as the source has them.
    const policies = `select string_agg(tablename || ':' || policyname || ':' || cmd || ':' || roles::text || ':' || qual, ' | ' order by tablename, policyname) as v
      from pg_policies where schemaname = 'storage'`;
    expect(await one(target.url, policies)).toBe(await one(source.url, policies));
    expect(await one(target.url, policies)).toContain('objects:own avatars:SELECT:{authenticated}:');
  });
});
