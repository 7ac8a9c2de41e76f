import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { applyProject } from '../../src/commands/apply';
import { bootstrapTarget } from '../../src/commands/bootstrap';
import { initProject } from '../../src/commands/init';
import { planProject } from '../../src/commands/plan';
import { closeNamedPglite, type Db } from '../../src/db';
import { loadSpec } from '../../src/spec';
import { freshDatabase, type FreshDatabase, TARGETS, withDb } from '../helpers/databases';
import { appSchemas } from '../helpers/matrix-scope';
import { seedDatabase, SEED_USERS } from '../helpers/seed';
import { loadPlainSet } from '../helpers/seed-sets';

/**
 * `security.views` on a real target: what the spec opens by name is readable by those roles, with
 * the rights it sets, and nothing else is. First a small source of ours (no RLS; staff rows hold
 * password hashes), on both targets; then danbooru's own views (../shared/fixtures/real-schemas),
 * seeded, on the server.
 */
const SOURCE = `
create table public.staff (id int primary key, name text not null, password text not null);
insert into public.staff values (1, 'ada', '$2a$10$x'), (2, 'bob', '$2a$10$y');
create view public.staff_names as select id, name from public.staff;
create view public.staff_all as select * from public.staff;
create materialized view public.staff_count as select count(*) as n from public.staff;
`;
const VIEWS = {
  'public.staff_names': { rights: 'owner', open: ['authenticated'] },
  'public.staff_count': { open: ['anon'] },
};

/** Rows the role reads from the relation (as a seeded user when authenticated), or the error's SQLSTATE. */
async function readAs(db: Db, role: string, relation: string): Promise<number | string> {
  await db.exec('begin');
  try {
    const claims = JSON.stringify({ sub: SEED_USERS[0], role });
    await db.query(`select set_config('request.jwt.claims', $1, true)`, [claims]);
    await db.exec(`set local role ${role}`);
    return (await db.query(`select * from ${relation}`)).rows.length;
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  } finally {
    await db.exec('rollback');
  }
}

/**
 * init's spec with `security.views` added, then plan, bootstrap and apply onto the target: as the
 * project's owner role, or as the superuser where the source needs an extension Supabase lets only
 * its own admin create (danbooru's pgstattuple), as security-defaults-plain applies.
 */
async function migrateWithViews(
  source: string,
  target: FreshDatabase,
  dir: string,
  views: object,
  asOwner = true,
): Promise<void> {
  await initProject({ source, dir, name: 'views' });
  const file = join(dir, 'migration.yaml');
  const doc = parseDocument(readFileSync(file, 'utf8'));
  doc.setIn(['security', 'views'], views);
  writeFileSync(file, doc.toString());
  const spec = loadSpec(file, { SOURCE_DATABASE_URL: source, SUPABASE_DB_URL: asOwner ? target.ownerUrl : target.url });
  planProject(spec);
  await bootstrapTarget(target.url);
  expect((await applyProject(spec)).error).toBeNull();
}

/** `relation role` -> rows read or SQLSTATE, for anon and authenticated. */
function readCells(url: string, relations: string[]): Promise<Record<string, number | string>> {
  return withDb(url, async (db) => {
    const out: Record<string, number | string> = {};
    for (const relation of relations)
      for (const role of ['anon', 'authenticated']) out[`${relation} ${role}`] = await readAs(db, role, relation);
    return out;
  });
}

/** reloptions of the named relations in public, by name. */
function optionsOf(url: string, names: string[]): Promise<{ name: string; options: string[] | null }[]> {
  const sql = `select relname as name, reloptions as options from pg_class
    where relnamespace = 'public'::regnamespace and relname = any($1::text[]) order by 1`;
  return withDb(url, async (db) => (await db.query<{ name: string; options: string[] | null }>(sql, [names])).rows);
}

describe.each(TARGETS)('security.views opens views by name (%s)', (kind) => {
  let source: FreshDatabase;
  let target: FreshDatabase;
  let dir: string;
  beforeAll(async () => {
    source = await freshDatabase(kind, 'vwsrc');
    target = await freshDatabase(kind, 'vwtgt');
    await withDb(source.url, (db) => db.exec(SOURCE));
    dir = mkdtempSync(join(tmpdir(), 'sm-views-open-'));
    await migrateWithViews(source.url, target, dir, VIEWS);
  });
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await closeNamedPglite();
  });

  it('each role reads what the spec opened for it, with the rights it set, and nothing more', async () => {
    expect(
      await readCells(target.url, ['public.staff', 'public.staff_names', 'public.staff_all', 'public.staff_count']),
    ).toEqual({
      'public.staff anon': '42501',
      'public.staff authenticated': '42501',
      // Owner rights on purpose: its columns of every row, past the table's RLS.
      'public.staff_names anon': '42501',
      'public.staff_names authenticated': 2,
      'public.staff_all anon': '42501',
      'public.staff_all authenticated': '42501',
      'public.staff_count anon': 1,
      'public.staff_count authenticated': '42501',
    });
  });

  it('only the view the spec did not name reads as the caller', async () => {
    expect(await optionsOf(target.url, ['staff_names', 'staff_all'])).toEqual([
      { name: 'staff_all', options: ['security_invoker=true'] },
      { name: 'staff_names', options: null },
    ]);
  });
});

const server = process.env.TEST_DATABASE_URL ? describe : describe.skip;

server("security.views on danbooru's own views, seeded (server)", () => {
  let source: FreshDatabase;
  let target: FreshDatabase;
  let dir: string;
  let seeded: Record<string, number>;
  beforeAll(async () => {
    source = await freshDatabase('server', 'vwdbsrc');
    target = await freshDatabase('server', 'vwdbtgt');
    dir = mkdtempSync(join(tmpdir(), 'sm-views-danbooru-'));
    loadPlainSet('danbooru', source.url, dir);
    seeded = (await withDb(source.url, async (db) => seedDatabase(db, await appSchemas(source.url)))).rows;
    await migrateWithViews(
      source.url,
      target,
      dir,
      {
        'public.post_events': { open: ['authenticated'] },
        'public.user_actions': { rights: 'owner', open: ['authenticated'] },
      },
      false,
    );
  }, 600_000);
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("authenticated reads the owner-rights view's rows and, as the caller, nothing through the other (its tables stay closed); anon reads neither", async () => {
    const [events, actions] = await withDb(source.url, async (db) =>
      Promise.all(
        ['public.post_events', 'public.user_actions'].map(
          async (v) => (await db.query(`select * from ${v}`)).rows.length,
        ),
      ),
    );
    // Seeded rows under both views: the cells below can tell open from closed.
    expect({ events: events > 0, actions: actions > 0, seeded: Object.keys(seeded).length > 0 }).toEqual({
      events: true,
      actions: true,
      seeded: true,
    });
    expect(await readCells(target.url, ['public.post_events', 'public.user_actions'])).toEqual({
      'public.post_events anon': '42501',
      // Opened, but it reads as the caller, and the caller may not read its tables (the spec opens none).
      'public.post_events authenticated': '42501',
      'public.user_actions anon': '42501',
      'public.user_actions authenticated': actions,
    });
    const granted = `select has_table_privilege('authenticated', 'public.post_events', 'select') as events,
      has_table_privilege('anon', 'public.post_events', 'select') as anon`;
    expect(await withDb(target.url, async (db) => (await db.query(granted)).rows[0])).toEqual({
      events: true,
      anon: false,
    });
    expect(await optionsOf(target.url, ['post_events', 'user_actions'])).toEqual([
      { name: 'post_events', options: ['security_invoker=true'] },
      { name: 'user_actions', options: null },
    ]);
  });
});
