import { closeNamedPglite, openDb, type Db } from '../../src/db';
import { applySteps, readCheckpoints, type SqlStep } from '../../src/execute';
import type { LoadedEvolution } from '../../src/execute/evolution-files';
import type { RecordedStep } from '../../src/plan/evolve';
import { planEvolutionFile } from '../../src/plan/evolve/file';
import { step } from '../../src/plan/schema/step';
import type { Phase } from '../../src/plan/types';
import { parseStepFile } from '../../src/render';
import { type EvolutionManifest, renderEvolution } from '../../src/render/evolution';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';

const PRE = 'supabase/migrations/20000101000100_blog_pre_data.sql';
const POST = 'supabase/migrations/20000101000300_blog_post_data.sql';
const sql = (id: string, phase: Phase, kind: string, up: string, down: string, file: string): SqlStep => {
  const s = step(id, phase, kind, up, down);
  return { ...s, type: 'sql', body: s.sql, file, line: 1 };
};
const V1: SqlStep[] = [
  sql('schema:app', 'pre-data', 'schema', 'create schema app;', 'drop schema app;', PRE),
  sql(
    'table:app.authors',
    'pre-data',
    'table',
    'create table app.authors (id integer primary key);',
    'drop table app.authors;',
    PRE,
  ),
  sql(
    'table:app.posts',
    'pre-data',
    'table',
    'create table app.posts (id integer primary key, author_id integer, ' + 'title text);',
    'drop table app.posts;',
    PRE,
  ),
];
const V2: SqlStep[] = [
  ...V1,
  sql(
    'foreign-key:app.posts.posts_author_fk',
    'post-data',
    'foreign-key',
    'alter table app.posts add constraint ' + 'posts_author_fk FOREIGN KEY (author_id) REFERENCES app.authors(id);',
    'alter table app.posts drop constraint posts_author_fk;',
    POST,
  ),
  sql(
    'index:app.posts_title_key',
    'post-data',
    'index',
    'CREATE UNIQUE INDEX posts_title_key ON app.posts USING btree (title);',
    'drop index app.posts_title_key;',
    POST,
  ),
];

/** The evolution file from V1 to V2 as `plan` writes it and `apply` loads it back. */
function evolutionFile(): LoadedEvolution {
  const base: RecordedStep[] = V1.map((s, k) => ({ ...s, seq: k + 1, up: s.sql, state: null }));
  const plan = planEvolutionFile(
    base,
    V2,
    { allowDestructive: [], renames: { tables: {}, columns: {} } },
    '20000101000500',
    'r1',
  );
  const [file, , manifestFile] = renderEvolution(plan, {
    supabaseDir: 'supabase',
    stateDir: '.supamigrate',
    name: 'blog',
  });
  const manifest = JSON.parse(manifestFile.content) as EvolutionManifest;
  const parsed = new Map(parseStepFile(file.content).map((p) => [p.id, p]));
  return {
    version: manifest.version,
    file: manifest.file,
    from: manifest.from,
    to: manifest.to,
    steps: manifest.steps.map((m) => ({ ...m, sql: parsed.get(m.id)?.sql ?? '', line: parsed.get(m.id)?.line ?? 0 })),
    refused: manifest.refused,
    blocked: manifest.blocked,
  };
}

const server = process.env.TEST_DATABASE_URL ? describe : describe.skip;

server('an evolution adds a foreign key and an index to a table with rows (server)', () => {
  let fresh: FreshDatabase;
  let db: Db;
  beforeEach(async () => {
    fresh = await freshDatabase('server', 'online');
    db = await openDb(fresh.url);
    await db.exec('create schema if not exists supabase_migrations');
  });
  afterEach(async () => {
    await db.close();
    await fresh.drop();
  });
  afterAll(() => closeNamedPglite());

  const state = async () =>
    (
      await db.query<{ valid: boolean | null; validated: boolean | null }>(
        `select (select indisvalid from pg_index where indexrelid = to_regclass('app.posts_title_key')) as valid,
                (select convalidated from pg_constraint where conname = 'posts_author_fk') as validated`,
      )
    ).rows[0];

  it('builds the index concurrently and validates the constraint, and resumes after a failed build', async () => {
    expect((await applySteps(db, V1)).ok).toBe(true);
    await db.exec(`insert into app.authors select i from generate_series(1, 5) i;
      insert into app.posts select i, 1 + i % 5, 'post ' || (i % 199) from generate_series(1, 400) i;`);
    const evolution = evolutionFile();
    expect(evolution.steps.map((s) => [s.id, s.nonTransactional ?? false])).toEqual([
      ['foreign-key:app.posts.posts_author_fk', false],
      ['validate:app.posts.posts_author_fk', true],
      ['index:app.posts_title_key', true],
    ]);
    // Duplicate titles: the concurrent build fails and leaves an invalid index behind.
    const failed = await applySteps(db, V2, { evolutions: [evolution] });
    expect(failed.ok).toBe(false);
    expect(failed.error).toMatch(/could not create unique index "posts_title_key"/);
    expect(await state()).toEqual({ valid: false, validated: true });
    const recorded = (await readCheckpoints(db)).map((c) => c.stepId);
    expect(recorded).toContain('validate:app.posts.posts_author_fk');
    expect(recorded).not.toContain('index:app.posts_title_key');
    // Fixed rows, same files: the invalid index is dropped and built again, nothing else runs twice.
    await db.exec(`delete from app.posts where id > 199`);
    const again = await applySteps(db, V2, { evolutions: [evolution] });
    expect(again.error).toBeNull();
    expect(again.evolution?.steps.map((s) => [s.id, s.status])).toEqual([['index:app.posts_title_key', 'executed']]);
    expect(await state()).toEqual({ valid: true, validated: true });
    // Everything recorded: a third apply has nothing to do.
    const third = await applySteps(db, V2, { evolutions: [evolution] });
    expect([third.ok, third.executed, third.evolution?.steps.length ?? 0]).toEqual([true, 0, 0]);
  });
});
