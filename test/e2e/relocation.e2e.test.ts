import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initProject } from '../../src/commands/init';
import { planProject } from '../../src/commands/plan';
import { applyProject } from '../../src/commands/apply';
import { bootstrapTarget } from '../../src/commands/bootstrap';
import { closeNamedPglite, type Db, withDb } from '../../src/db';
import { loadSpec } from '../../src/spec';
import { freshDatabase, type FreshDatabase, TARGETS } from '../helpers/databases';

/**
 * Extensions installed in public on the source, referenced every way an application does:
 * operator classes in indexes, a dictionary literal, casts to an extension's type, operators in
 * a view, a default, and a function that finds them through its pinned search_path.
 */
const SOURCE = `
create extension pg_trgm with schema public;
create extension intarray with schema public;
create extension unaccent with schema public;
create extension cube with schema public;
create extension earthdistance with schema public;
create function public.f_unaccent(text) returns text language sql immutable parallel safe strict
  as $$ select public.unaccent('public.unaccent'::regdictionary, $1) $$;
create function public.place(lat float8, lon float8) returns public.earth language sql immutable
  as $$ select public.ll_to_earth(lat, lon)::public.earth $$;
create table public.posts (
  id int primary key,
  title text not null,
  tags int[] not null default '{}',
  lat float8 not null,
  lon float8 not null,
  slug text default public.f_unaccent('Crème Brûlée')
);
create index posts_title_trgm on public.posts using gin (title public.gin_trgm_ops);
create index posts_tags on public.posts using gin (tags public.gin__int_ops);
create index posts_title_plain on public.posts (public.f_unaccent(title));
create index posts_place on public.posts using gist (public.ll_to_earth(lat, lon));
create function public.similar_titles(q text) returns setof int language sql stable set search_path = public
  as $$ select id from posts where title % q order by similarity(title, q) desc, id $$;
create function public.km(a int, b int) returns float8 language sql stable
  as $$ select round((public.earth_distance(public.place(x.lat, x.lon), public.place(y.lat, y.lon)) / 1000)::numeric, 3)::float8
        from public.posts x, public.posts y where x.id = a and y.id = b $$;
create view public.tagged as select id, tags operator(public.&) array[1, 2] as common from public.posts where tags operator(public.@@) '1|2'::public.query_int;
insert into public.posts (id, title, tags, lat, lon)
  select g, case g % 3 when 0 then 'Crème brûlée ' || g when 1 then 'Hello world ' || g else 'Zoë café ' || g end,
    array[g % 5, g % 7], 40 + g % 10, -70 + g % 10
  from generate_series(1, 300) g;
`;

/** Same questions on both sides; unqualified names work where the extension lives on each. */
const QUESTIONS = [
  `select public.f_unaccent('Hélène à Zoë') as v`,
  `select public.km(1, 2)::text as v`,
  `select array_agg(x order by x)::text as v from (select * from public.similar_titles('Hello wrld 1') limit 5) s(x)`,
  `select (public.place(45, -70))::text as v`,
  `select count(*)::int as v from public.tagged`,
  `select sum(array_length(common, 1))::int as v from public.tagged`,
  `select count(*)::int as v from public.posts where slug = 'Creme Brulee'`,
];

/** Each index answers the query it was built for (sequential scans off). */
const INDEXED: [string, string][] = [
  ['posts_title_trgm', `select id from public.posts where title % 'Hello world 10'`],
  ['posts_tags', `select id from public.posts where tags @> array[3]`],
  ['posts_title_plain', `select id from public.posts where public.f_unaccent(title) = 'Zoe cafe 5'`],
  ['posts_place', `select id from public.posts where earth_box(ll_to_earth(45, -70), 100000) @> ll_to_earth(lat, lon)`],
];

const ask = async (db: Db, sql: string) => {
  await db.exec(`set search_path = public, extensions`);
  return (await db.query<{ v: unknown }>(sql)).rows[0]?.v;
};

const plan = async (db: Db, sql: string) =>
  db.transaction(async (tx) => {
    await tx.exec('set local enable_seqscan = off; set local search_path = public, extensions');
    return (await tx.query<{ 'QUERY PLAN': string }>(`explain ${sql}`)).rows.map((r) => r['QUERY PLAN']).join('\n');
  });

describe.each(TARGETS)('extensions moved from public to extensions, on %s', (kind) => {
  let source: FreshDatabase;
  let target: FreshDatabase;
  let dir: string;
  const spec = () => loadSpec(join(dir, 'migration.yaml'), { SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: target.ownerUrl });

  beforeAll(async () => {
    source = await freshDatabase(kind, 'src');
    target = await freshDatabase(kind, 'tgt');
    await withDb(source.url, (db) => db.exec(SOURCE));
    dir = mkdtempSync(join(tmpdir(), 'sm-reloc-'));
    await initProject({ source: source.url, dir, name: 'reloc' });
    planProject(spec());
    await bootstrapTarget(target.url);
    // earthdistance is not a trusted extension: on Supabase the platform creates it for the
    // project's postgres role; here the admin does, in the schema Supabase uses.
    // earthdistance 1.1 (Postgres 15) finds its own type through search_path, which Supabase
    // sets to "$user", public, extensions for its roles; version 1.2 (PGlite) qualifies it.
    if (kind === 'server') {
      await withDb(target.url, async (db) => {
        await db.exec('create extension cube with schema extensions; create extension earthdistance with schema extensions;');
        await db.exec(`alter database ${new URL(target.url).pathname.slice(1)} set search_path = "$user", public, extensions`);
      });
    }
    const r = await applyProject(spec());
    if (r.error) throw new Error(r.error);
  });
  afterAll(async () => {
    await source.drop();
    await target.drop();
    await closeNamedPglite();
  });

  it('puts every extension in extensions', async () => {
    const rows = await withDb(target.url, (db) =>
      db.query<{ e: string }>(`select extname || ' ' || extnamespace::regnamespace::text as e from pg_extension where extname in ('pg_trgm', 'intarray', 'unaccent', 'cube', 'earthdistance') order by 1`));
    expect(rows.rows.map((r) => r.e)).toEqual(['cube extensions', 'earthdistance extensions', 'intarray extensions', 'pg_trgm extensions', 'unaccent extensions']);
  });

  it('functions, the view and the default give the source results', async () => {
    const fromSource = await withDb(source.url, async (db) => { const out: unknown[] = []; for (const q of QUESTIONS) out.push(await ask(db, q)); return out; });
    const fromTarget = await withDb(target.ownerUrl, async (db) => { const out: unknown[] = []; for (const q of QUESTIONS) out.push(await ask(db, q)); return out; });
    expect(fromSource[0]).toBe('Helene a Zoe');
    expect(fromSource[2]).not.toBe(null);
    expect(fromTarget).toEqual(fromSource);
  });

  it('every index works and is used', async () => {
    await withDb(target.ownerUrl, async (db) => {
      for (const [index, sql] of INDEXED) expect(await plan(db, sql)).toContain(index);
      await db.exec('set search_path = public, extensions');
      for (const [, sql] of INDEXED) {
        const onTarget = (await db.query(`${sql} order by id`)).rows;
        const onSource = await withDb(source.url, async (s) => { await s.exec('set search_path = public, extensions'); return (await s.query(`${sql} order by id`)).rows; });
        expect(onTarget).toEqual(onSource);
      }
    });
  });
});
