import { closeNamedPglite, openDb, type Db } from '../../../src/db';
import { applySteps, readCheckpoints, type SqlStep } from '../../../src/execute';
import type { LoadedEvolution } from '../../../src/execute/evolution-files';
import { routeEvolutions } from '../../../src/execute/evolution-route';
import { undoEvolutionStep } from '../../../src/execute/evolve';
import { planEvolution, type RecordedStep } from '../../../src/plan/evolve';
import { planEvolutionFile } from '../../../src/plan/evolve/file';
import { step } from '../../../src/plan/schema/step';
import type { Phase } from '../../../src/plan/types';
import { parseStepFile } from '../../../src/render';
import { type EvolutionManifest, renderEvolution } from '../../../src/render/evolution';
import { freshDatabase, type FreshDatabase } from '../../helpers/databases';

/**
 * An evolution file adds a foreign key NOT VALID and records its VALIDATE step as a row of its
 * own (`validate:...`). When a later revision drops or replaces the constraint, that row goes
 * with the constraint's row (and comes back with it on rollback).
 */
const PRE = 'supabase/migrations/20000101000100_blog_pre_data.sql';
const POST = 'supabase/migrations/20000101000300_blog_post_data.sql';
const NONE = { allowDestructive: [], renames: { tables: {}, columns: {} } };
const sql = (id: string, phase: Phase, kind: string, up: string, down: string, file: string): SqlStep => {
  const s = step(id, phase, kind, up, down);
  return { ...s, type: 'sql', body: s.sql, file, line: 1 };
};
const FK_ID = 'foreign-key:app.posts.posts_author_fk';
const VALIDATE_ID = 'validate:app.posts.posts_author_fk';
const fk = (action: string) =>
  sql(
    FK_ID,
    'post-data',
    'foreign-key',
    `alter table app.posts add constraint posts_author_fk FOREIGN KEY (author_id) REFERENCES app.authors(id)${action};`,
    'alter table app.posts drop constraint posts_author_fk;',
    POST,
  );
const V1: SqlStep[] = [
  sql('schema:app', 'pre-data', 'schema', 'create schema app;', 'drop schema app;', PRE),
  sql('table:app.authors', 'pre-data', 'table', 'create table app.authors (id int primary key);', 'drop table app.authors;', PRE),
  sql('table:app.posts', 'pre-data', 'table', 'create table app.posts (id int primary key, author_id int);', 'drop table app.posts;', PRE),
];
const V2 = [...V1, fk('')];
/** The constraint replaced under the same name (another definition). */
const V3_REPLACED = [...V1, fk(' ON DELETE CASCADE')];
/** The constraint dropped. */
const V3_DROPPED = V1;

const asRecorded = (steps: SqlStep[]): RecordedStep[] => steps.map((s, k) => ({ ...s, seq: k + 1, up: s.sql, state: null }));

/** The evolution file from `base` to `next` as `plan` writes it and `apply` loads it back. */
function evolutionFile(base: SqlStep[], next: SqlStep[], version: string): LoadedEvolution {
  const plan = planEvolutionFile(asRecorded(base), next, NONE, version, `r${version}`);
  const [file, , manifestFile] = renderEvolution(plan, { supabaseDir: 'supabase', stateDir: '.supamigrate', name: 'blog' });
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

const E1 = evolutionFile(V1, V2, '20000101000500');
/** What a target that ran E1 recorded: V2's rows plus the VALIDATE step's row. */
const afterE1 = (): RecordedStep[] => {
  const validate = E1.steps.find((s) => s.id === VALIDATE_ID);
  if (!validate) throw new Error('E1 has no validate step');
  return [
    ...asRecorded(V2),
    { seq: 5, id: VALIDATE_ID, phase: 'post-data', kind: 'validate', checksum: validate.checksum, up: validate.sql, down: '', file: E1.file, state: null },
  ];
};
const removedIds = (changes: { before: RecordedStep | null; after: RecordedStep | null }[]) =>
  changes.filter((c) => c.before && !c.after).map((c) => c.before?.id);

describe('the VALIDATE row of a constraint goes with the constraint (planner and router, pure)', () => {
  it('E1 records the constraint NOT VALID and a validate step', () => {
    expect(E1.steps.map((s) => [s.id, s.nonTransactional ?? false])).toEqual([
      [FK_ID, false],
      [VALIDATE_ID, true],
    ]);
  });

  it.each([
    ['dropped', V3_DROPPED],
    ['replaced', V3_REPLACED],
  ])('apply-time evolution: the constraint %s removes its validate row in the same step', (_, next) => {
    const plan = planEvolution(afterE1(), next, NONE);
    const retire = plan.steps.find((s) => s.target === FK_ID);
    expect(retire?.action).toBe('retire');
    expect(removedIds(retire?.changes ?? [])).toEqual([FK_ID, VALIDATE_ID]);
    // Nothing else touches it: no step of its own, no blocked or refused entry.
    expect(plan.steps.filter((s) => s.target === VALIDATE_ID)).toEqual([]);
    expect([plan.blocked, plan.refused]).toEqual([[], []]);
  });

  it('an unchanged constraint keeps its validate row (nothing to do)', () => {
    expect(planEvolution(afterE1(), V2, NONE).steps).toEqual([]);
  });

  it.each([
    ['dropped', V3_DROPPED],
    ['replaced', V3_REPLACED],
  ])('evolution file: the constraint %s removes the validate row the target recorded', (_, next) => {
    const E2 = evolutionFile(V2, next, '20000101000600');
    const routed = routeEvolutions(afterE1(), [E1, E2], new Set([E1.version]));
    const retire = routed?.steps.find((s) => s.target === FK_ID && s.action === 'retire');
    expect(removedIds(retire?.changes ?? [])).toEqual([FK_ID, VALIDATE_ID]);
  });

  it('evolution file: a target that got the constraint from the phase files (no validate row) needs none removed', () => {
    const E2 = evolutionFile(V2, V3_DROPPED, '20000101000600');
    const routed = routeEvolutions(asRecorded(V2), [E2], new Set());
    const retire = routed?.steps.find((s) => s.target === FK_ID);
    expect(removedIds(retire?.changes ?? [])).toEqual([FK_ID]);
  });

  it('evolution file: two pending evolutions, the second drops what the first validates', () => {
    const E2 = evolutionFile(V2, V3_DROPPED, '20000101000600');
    const routed = routeEvolutions(asRecorded(V1), [E1, E2], new Set());
    const retire = routed?.steps.find((s) => s.target === FK_ID && s.action === 'retire');
    expect(removedIds(retire?.changes ?? [])).toEqual([FK_ID, VALIDATE_ID]);
  });
});

describe('a target past two evolutions, the second changing what the first created (router, pure)', () => {
  const view = (cols: string) => sql('view:app.titles', 'post-data', 'view', `create view app.titles as select ${cols} from app.posts;`, 'drop view app.titles;', POST);
  const W1 = [...V1, view('id')];
  const W2 = [...V1, view('id, author_id')];
  const F1 = evolutionFile(V1, W1, '20000101000500');
  const F2 = evolutionFile(W1, W2, '20000101000600');
  const both = new Set([F1.version, F2.version]);

  it('has nothing to run or adopt once both ran (the first no longer shows in the rows)', () => {
    expect(routeEvolutions(asRecorded(W2), [F1, F2], both)).toBeNull();
  });

  it('still runs the second on a target past the first only', () => {
    const routed = routeEvolutions(asRecorded(W1), [F1, F2], new Set([F1.version]));
    expect(routed?.steps.map((s) => [s.action, s.target, s.adopted ?? false])).toEqual([
      ['retire', 'view:app.titles', false],
      ['create', 'view:app.titles', false],
    ]);
  });

  it('adopts both when `supabase db push` ran them on a target at the base', () => {
    const routed = routeEvolutions(asRecorded(V1), [F1, F2], both);
    expect(routed?.steps.map((s) => [s.action, s.target, s.adopted ?? false])).toEqual([
      ['create', 'view:app.titles', true],
      ['retire', 'view:app.titles', true],
      ['create', 'view:app.titles', true],
    ]);
  });
});

const server = process.env.TEST_DATABASE_URL ? describe : describe.skip;

server('the VALIDATE row of a constraint goes with the constraint (server)', () => {
  let fresh: FreshDatabase;
  let db: Db;
  beforeEach(async () => {
    fresh = await freshDatabase('server', 'valrec');
    db = await openDb(fresh.url);
    await db.exec('create schema if not exists supabase_migrations');
    expect((await applySteps(db, V1)).ok).toBe(true);
    await db.exec(`insert into app.authors select i from generate_series(1, 5) i;
      insert into app.posts select i, 1 + i % 5 from generate_series(1, 50) i;`);
    const first = await applySteps(db, V2, { evolutions: [E1] });
    expect(first.error).toBeNull();
    expect((await readCheckpoints(db)).map((c) => c.stepId)).toContain(VALIDATE_ID);
  });
  afterEach(async () => {
    await db.close();
    await fresh.drop();
  });
  afterAll(() => closeNamedPglite());

  const constraint = async () =>
    (
      await db.query<{ validated: boolean; def: string }>(
        `select convalidated as validated, pg_get_constraintdef(oid) as def from pg_constraint where conname = 'posts_author_fk'`,
      )
    ).rows;
  const ids = async () => (await readCheckpoints(db)).map((c) => c.stepId);

  it('a dropped constraint: its row and its validate row are removed; undoing the step puts both back', async () => {
    const E2 = evolutionFile(V2, V3_DROPPED, '20000101000600');
    const r = await applySteps(db, V3_DROPPED, { evolutions: [E1, E2] });
    expect(r.error).toBeNull();
    expect(await constraint()).toEqual([]);
    expect(await ids()).not.toContain(VALIDATE_ID);
    expect(await ids()).not.toContain(FK_ID);
    // Nothing left to do: the next apply runs nothing.
    const again = await applySteps(db, V3_DROPPED, { evolutions: [E1, E2] });
    expect([again.error, again.executed, again.evolution?.steps.length ?? 0]).toEqual([null, 0, 0]);
    const evolved = (await readCheckpoints(db)).filter((c) => c.kind === 'evolution');
    expect(evolved).toHaveLength(1);
    await db.transaction((tx) => undoEvolutionStep(tx, evolved[0]));
    expect(await ids()).toEqual(expect.arrayContaining([FK_ID, VALIDATE_ID]));
    expect(await constraint()).toEqual([expect.objectContaining({ validated: true })]);
  });

  it('a constraint replaced under the same name is added NOT VALID, validated again and recorded once', async () => {
    const E2 = evolutionFile(V2, V3_REPLACED, '20000101000600');
    const r = await applySteps(db, V3_REPLACED, { evolutions: [E1, E2] });
    expect(r.error).toBeNull();
    expect(r.evolution?.steps.map((s) => [s.id.replace(/^evolve:\d+:/, ''), s.status])).toEqual([
      [expect.stringContaining(`retire:${FK_ID}`), 'executed'],
      [FK_ID, 'executed'],
      [VALIDATE_ID, 'executed'],
    ]);
    expect(await constraint()).toEqual([{ validated: true, def: expect.stringContaining('ON DELETE CASCADE') }]);
    expect((await ids()).filter((id) => id === VALIDATE_ID)).toHaveLength(1);
  });
});
