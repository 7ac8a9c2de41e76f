import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initProject } from '../../src/commands/init';
import { planProject } from '../../src/commands/plan';
import { applyProject } from '../../src/commands/apply';
import { bootstrapTarget } from '../../src/commands/bootstrap';
import { rollbackProject } from '../../src/commands/rollback';
import { closeNamedPglite, type Db, withDb } from '../../src/db';
import { applySteps, loadExecutablePlan } from '../../src/execute';
import { introspect, snapshotToJson } from '../../src/introspect';
import { layoutOf } from '../../src/commands/project';
import { loadSpec, type Spec } from '../../src/spec';
import { runCli } from '../helpers/cli';
import { freshDatabase, type FreshDatabase, TARGETS } from '../helpers/databases';

/** A source with a type, a table of that type and a function reading the table. */
const SOURCE = `
create type public.mood as enum ('sad', 'happy');
create table public.notes (id int primary key, body text not null, feeling public.mood);
create function public.note_count() returns bigint language sql stable as $$ select count(*) from public.notes $$;
create function public.shout(t text) returns text language sql immutable as $$ select upper(t) || '!' $$;
insert into public.notes values (1, 'one', 'sad'), (2, 'two', 'happy');
`;

/** What a user already has on the target under the same names (different definitions). */
const THEIRS = `
create type public.mood as enum ('meh');
create table public.notes (x int);
insert into public.notes values (7);
create function public.shout(t text) returns text language sql immutable as $$ select 'theirs: ' || t $$;
`;

const call = async (db: Db, sql: string) => (await db.query<{ v: unknown }>(sql)).rows[0]?.v;
const dump = async (url: string) => snapshotToJson(await withDb(url, (db) => introspect(db)));
const schemaNames = async (db: Db) =>
  (await db.query<{ n: string }>(`select nspname as n from pg_namespace where nspname = 'supamigrate'`)).rows.map((r) => r.n);

describe.each(TARGETS)('objects the target already holds, on %s', (kind) => {
  let source: FreshDatabase;
  let dir: string;
  const targets: FreshDatabase[] = [];
  const spec = (targetUrl: string, existing?: Spec['target']['existingObjects']): Spec => {
    const s = loadSpec(join(dir, 'migration.yaml'), { SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: targetUrl });
    return existing ? { ...s, target: { ...s.target, existingObjects: existing } } : s;
  };
  const target = async (sql: string) => {
    const t = await freshDatabase(kind, 'own');
    targets.push(t);
    await bootstrapTarget(t.url);
    if (sql) await withDb(t.ownerUrl, (db) => db.exec(sql));
    return t;
  };

  beforeAll(async () => {
    source = await freshDatabase(kind, 'src');
    await withDb(source.url, (db) => db.exec(SOURCE));
    dir = mkdtempSync(join(tmpdir(), 'sm-existing-'));
    await initProject({ source: source.url, dir, name: 'owned' });
    planProject(spec('pglite://memory'));
  });
  afterAll(async () => {
    for (const t of targets) await t.drop();
    await source.drop();
    await closeNamedPglite();
  });

  it('plans plain CREATE for functions, so a race fails instead of replacing', () => {
    const steps = loadExecutablePlan(dir, layoutOf(spec('pglite://memory')));
    const fn = steps.filter((s) => s.kind === 'function');
    expect(fn.length).toBe(2);
    for (const s of fn) expect(s.body).toMatch(/^CREATE FUNCTION/m);
    for (const s of steps) expect(s.body).not.toMatch(/create\s+or\s+replace\s+function/i);
  });

  it('stops before any step, names the function, table and type, and leaves the target as it was', async () => {
    const t = await target(THEIRS);
    const before = await dump(t.url);
    const err = await applyProject(spec(t.ownerUrl)).then(() => null, (e: { exitCode: number; message: string }) => e);
    expect(err?.exitCode).toBe(2);
    expect(err?.message.split('\n').filter((l) => l.startsWith('  ')).sort()).toEqual(['  enum:public.mood', '  function:public.shout(t text)', '  table:public.notes']);
    expect(await dump(t.url)).toEqual(before);
    await withDb(t.url, async (db) => {
      expect(await schemaNames(db)).toEqual([]);
      expect(await call(db, `select public.shout('x') as v`)).toBe('theirs: x');
    });
  });

  it('the CLI exits 2 with the same names when the spec says nothing', async () => {
    // The CLI runs in another process: it can reach a server database, not an in-memory PGlite.
    if (kind === 'pglite') return;
    const t = await target(THEIRS);
    const r = runCli(['--spec', join(dir, 'migration.yaml'), '--target', t.ownerUrl, 'apply'], { env: { SOURCE_DATABASE_URL: source.url } });
    expect(r.code).toBe(2);
    for (const id of ['enum:public.mood', 'table:public.notes', 'function:public.shout(t text)']) expect(r.stderr).toContain(id);
  });

  it('adopt_when_equal keeps equal objects, refuses different ones, and rollback leaves what it adopted', async () => {
    const equal = `create type public.mood as enum ('sad', 'happy');
      create function public.shout(t text) returns text language sql immutable as $$ select upper(t) || '!' $$;`;
    const t = await target(equal);
    const r = await applyProject(spec(t.ownerUrl, { default: 'adopt_when_equal', objects: {} }));
    expect(r.error).toBeNull();
    expect(r.existing.map((e) => e.stepId).sort()).toEqual(['enum:public.mood', 'function:public.shout(t text)']);
    expect(r.steps.filter((s) => s.status === 'adopted').map((s) => s.id).sort()).toEqual(['enum:public.mood', 'function:public.shout(t text)']);
    await withDb(t.ownerUrl, async (db) => {
      expect(await call(db, `select public.note_count() as v`)).toBe('2');
      expect(await call(db, `select public.shout('a') as v`)).toBe('A!');
    });
    const back = await rollbackProject(spec(t.ownerUrl), { all: true });
    expect(back).toMatchObject({ ok: true, remaining: 0 });
    await withDb(t.url, async (db) => {
      expect(await call(db, `select public.shout('b') as v`)).toBe('B!');
      expect(await call(db, `select enum_range(null::public.mood)::text as v`)).toBe('{sad,happy}');
      expect(await call(db, `select to_regclass('public.notes')::text as v`)).toBeNull();
      expect(await call(db, `select to_regprocedure('public.note_count()')::text as v`)).toBeNull();
    });

    const other = await target(`create function public.shout(t text) returns text language sql immutable as $$ select t $$;`);
    const before = await dump(other.url);
    await expect(applyProject(spec(other.ownerUrl, { default: 'adopt_when_equal', objects: {} }))).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/differ[^]*function:public\.shout\(t text\): differs in function public\.shout\(t text\)/),
    });
    expect(await dump(other.url)).toEqual(before);
  });

  it('skip keeps a different object as it is; rollback --all after a partial apply leaves it and the rest of the target', async () => {
    const t = await target(`create function public.shout(t text) returns text language sql immutable as $$ select 'theirs: ' || t $$;
      create table public.unrelated (id int); insert into public.unrelated values (1);`);
    const s = spec(t.ownerUrl, { default: 'stop', objects: { 'function:public.shout(t text)': 'skip' } });
    const steps = loadExecutablePlan(dir, layoutOf(s));
    const cut = steps.findIndex((x) => x.phase === 'data');
    expect(cut).toBeGreaterThan(0);
    // A partial apply: the schema steps ran, then it stopped before the data.
    const partial = await withDb(t.ownerUrl, (db) => applySteps(db, steps.slice(0, cut), { existing: s.target.existingObjects }));
    expect(partial.error).toBeNull();
    expect(partial.steps.find((x) => x.id === 'function:public.shout(t text)')?.status).toBe('adopted');
    await withDb(t.ownerUrl, async (db) => expect(await call(db, `select public.shout('x') as v`)).toBe('theirs: x'));
    const back = await rollbackProject(s, { all: true });
    expect(back).toMatchObject({ ok: true, remaining: 0 });
    await withDb(t.url, async (db) => {
      expect(await call(db, `select public.shout('y') as v`)).toBe('theirs: y');
      expect(await call(db, `select count(*)::int as v from public.unrelated`)).toBe(1);
      expect(await call(db, `select to_regclass('public.notes')::text as v`)).toBeNull();
      expect(await call(db, `select to_regtype('public.mood')::text as v`)).toBeNull();
    });
  });

  it('the spec key loads from migration.yaml in its short and long forms', () => {
    const file = join(dir, 'migration.yaml');
    const original = readFileSync(file, 'utf8');
    try {
      writeFileSync(file, original.replace(/^target:\n/m, 'target:\n  existing_objects: skip\n'));
      expect(spec('pglite://memory').target.existingObjects).toEqual({ default: 'skip', objects: {} });
      writeFileSync(file, original.replace(/^target:\n/m, "target:\n  existing_objects:\n    objects:\n      'table:public.notes': adopt_when_equal\n"));
      expect(spec('pglite://memory').target.existingObjects).toEqual({ default: 'stop', objects: { 'table:public.notes': 'adopt_when_equal' } });
      writeFileSync(file, original.replace(/^target:\n/m, 'target:\n  existing_objects: replace\n'));
      expect(() => spec('pglite://memory')).toThrow(/existing_objects/);
    } finally {
      writeFileSync(file, original);
    }
  });
});
