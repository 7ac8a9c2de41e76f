import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refreshSnapshot } from '../../../src/commands/introspect';
import { planProject } from '../../../src/commands/plan';
import { applyProject } from '../../../src/commands/apply';
import { bootstrapTarget } from '../../../src/commands/bootstrap';
import { rollbackProject } from '../../../src/commands/rollback';
import { statusProject } from '../../../src/commands/status';
import { closeNamedPglite, withDb } from '../../../src/db';
import { UserError } from '../../../src/errors';
import { readCheckpoints } from '../../../src/execute';
import type { Spec } from '../../../src/spec/types';
import { describeEach, freshDatabase, type FreshDatabase, TARGETS } from '../../helpers/databases';
import { BASE_SQL, digest, objectsOf, writeSpec } from './fixture';

/**
 * One target, with data, taken through six revisions of its source and spec. After each, the
 * target's schema equals a fresh apply of that revision, and the rows it had are all there.
 */
const isDataCarry = (s: { action: string; target: string }) => s.action === 'carry' && s.target.startsWith('data:');

describeEach(TARGETS, 'evolution of an applied target on %s', (kind) => {
  let source: FreshDatabase;
  let target: FreshDatabase;
  /** Gets each revision in one fresh apply, then is rolled back to its bootstrapped state. */
  let fresh: FreshDatabase;
  let dir: string;
  const rows: { before: Record<string, string> | null } = { before: null };
  const kept = (renamed: boolean) => ({
    authors: 'public.authors:id,name,email',
    posts: 'public.posts:id,author_id,title',
    tags: renamed ? 'public.labels:id,label' : 'public.tags:id,label',
  });

  beforeAll(async () => {
    source = await freshDatabase(kind, 'evsrc');
    target = await freshDatabase(kind, 'evtgt');
    dir = mkdtempSync(join(tmpdir(), 'sm-evolve-'));
    await withDb(source.url, (db) => db.exec(BASE_SQL));
    fresh = await freshDatabase(kind, 'evfresh');
    await bootstrapTarget(target.url);
    await bootstrapTarget(fresh.url);
  });
  afterAll(async () => {
    await source.drop();
    await target.drop();
    await fresh.drop();
    await closeNamedPglite();
  });

  async function revise(sql: string, evolution = ''): Promise<Spec> {
    if (sql) await withDb(source.url, (db) => db.exec(sql));
    const spec = writeSpec(dir, evolution, { source: source.url, target: target.ownerUrl });
    await refreshSnapshot(spec);
    planProject(spec);
    return spec;
  }

  /** The evolved target against a new target that got this revision in one fresh apply. */
  async function expectSameAsFresh(spec: Spec): Promise<void> {
    const r = await applyProject(spec, { target: fresh.ownerUrl });
    expect(r.error).toBeNull();
    expect(r.evolution).toBeNull();
    expect(r.executed).toBe(r.steps.length);
    expect(await objectsOf(target.url)).toEqual(await objectsOf(fresh.url));
    expect(await rollbackProject(spec, { all: true }, { target: fresh.ownerUrl })).toMatchObject({ ok: true, remaining: 0 });
  }

  async function expectRowsKept(renamed = false): Promise<void> {
    const now = await digest(target.url, kept(renamed));
    expect(now).toEqual(rows.before);
    expect(Number(now.posts.split(' ')[0])).toBe(300);
  }

  it('1: a fresh apply loads the data and records each step with its definition', async () => {
    const spec = await revise('');
    const r = await applyProject(spec);
    expect(r.error).toBeNull();
    expect(r.evolution).toBeNull();
    rows.before = await digest(target.url, kept(false));
    const table = (await withDb(target.url, readCheckpoints)).find((c) => c.stepId === 'table:public.posts');
    expect(table?.up).toContain('create table "public"."posts"');
    expect(table?.state).toMatchObject({ name: 'posts', columns: expect.arrayContaining([expect.objectContaining({ name: 'title', type: 'character varying(80)' })]) });
    const again = await applyProject(spec);
    expect(again).toMatchObject({ ok: true, executed: 0, evolution: null });
  });

  it('2: an added column and a widened type alter the table in place', async () => {
    const spec = await revise('alter table public.posts add column summary text; alter table public.posts alter column title type varchar(200);');
    const status = await statusProject(spec);
    expect(status.evolution?.steps.map((s) => s.summary)).toContain('alter table public.posts: type of title: character varying(80) -> character varying(200), add column summary');
    const r = await applyProject(spec);
    expect(r.error).toBeNull();
    expect(r.evolution?.steps.filter((s) => !isDataCarry(s)).map((s) => s.action)).toEqual(['alter']);
    expect(r.executed).toBe(0); // nothing is dropped and re-created, no data step re-runs
    await expectRowsKept();
    await expectSameAsFresh(spec);
  });

  it('3: a changed policy is replaced: its recorded down, then the new policy', async () => {
    const spec = await revise('alter policy posts_read on public.posts using (published and author_id is not null);');
    const r = await applyProject(spec);
    expect(r.error).toBeNull();
    expect(r.evolution?.steps.filter((s) => !isDataCarry(s)).map((s) => [s.action, s.summary])).toEqual([['retire', 'replace policy:public.posts.posts_read: run its recorded down, then the new step']]);
    expect(r.steps.filter((s) => s.status === 'executed').map((s) => s.id)).toEqual(['policy:public.posts.posts_read']);
    await expectRowsKept();
    await expectSameAsFresh(spec);
  });

  it('4: a new index is applied as a new step', async () => {
    const spec = await revise('create index posts_title_idx on public.posts (title);');
    const r = await applyProject(spec);
    expect(r.error).toBeNull();
    // The copy specs carry the source's row estimates, which the new index refreshed.
    expect(r.evolution?.steps.filter((s) => !isDataCarry(s)) ?? []).toEqual([]);
    expect(r.steps.filter((s) => s.status === 'executed').map((s) => s.id)).toEqual(['index:public.posts_title_idx']);
    await expectRowsKept();
    await expectSameAsFresh(spec);
  });

  it('5: declared renames rename the table and the column, and keep their rows', async () => {
    const evolution = 'evolution:\n  renames:\n    tables: { public.tags: labels }\n    columns: { public.posts.body: content }';
    const before = await withDb(target.url, (db) => db.query<{ id: string; body: string }>('select id::text, body from public.posts order by id'));
    const spec = await revise('alter table public.tags rename to labels; alter table public.posts rename column body to content;', evolution);
    const r = await applyProject(spec);
    expect(r.error).toBeNull();
    const actions = r.evolution?.steps.map((s) => `${s.action} ${s.target}`);
    expect(actions).toEqual(expect.arrayContaining(['rename table:public.labels', 'rename table:public.posts']));
    expect(r.evolution?.steps.some((s) => s.action === 'retire' && s.target.startsWith('table:'))).toBe(false);
    expect(r.steps.find((s) => s.id === 'data:public.labels')?.status).toBe('evolved');
    const after = await withDb(target.url, (db) => db.query<{ id: string; content: string }>('select id::text, content from public.posts order by id'));
    expect(after.rows.map((x) => [x.id, x.content])).toEqual(before.rows.map((x) => [x.id, x.body]));
    await expectRowsKept(true);
    await expectSameAsFresh(spec);
  });

  it('6: a dropped column is refused until the spec allows it by name; rollback restores the previous revision', async () => {
    const renames = '  renames:\n    tables: { public.tags: labels }\n    columns: { public.posts.body: content }';
    const previous = await objectsOf(target.url);
    let spec = await revise('alter table public.posts drop column summary;', `evolution:\n${renames}`);
    const refused = await applyProject(spec).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UserError);
    expect(String((refused as UserError).message)).toContain('public.posts.summary: alter table public.posts: drop column summary');
    expect((refused as UserError).fix).toContain('allow_destructive: [public.posts.summary]');
    expect(await objectsOf(target.url)).toEqual(previous);

    spec = writeSpec(dir, `evolution:\n  allow_destructive: [public.posts.summary]\n${renames}`, { source: source.url, target: target.ownerUrl });
    // The allowance is part of the reviewed change: re-planning puts the new spec in the lock.
    planProject(spec);
    const last = (await withDb(target.url, readCheckpoints)).at(-1)?.seq as number;
    const r = await applyProject(spec);
    expect(r.error).toBeNull();
    expect(r.evolution?.steps.find((s) => s.action === 'alter')?.destructive).toEqual(['public.posts.summary']);
    await expectRowsKept(true);
    await expectSameAsFresh(spec);

    const back = await rollbackProject(spec, { to: String(last) });
    expect(back.error).toBeNull();
    expect(await objectsOf(target.url)).toEqual(previous);
    await expectRowsKept(true);
    const forward = await applyProject(spec);
    expect(forward.error).toBeNull();
    await expectSameAsFresh(spec);
  });

  it('7: a new table arrives with its rows, loaded after the evolution commits', async () => {
    const evolution = 'evolution:\n  allow_destructive: [public.posts.summary]\n  renames:\n    tables: { public.tags: labels }\n    columns: { public.posts.body: content }';
    const spec = await revise(
      `create table public.comments (id bigint generated by default as identity primary key, post_id bigint not null references public.posts (id), body text);
       insert into public.comments (post_id, body) select 1 + i % 300, 'comment ' || i from generate_series(1, 50) i;`,
      evolution,
    );
    // The app has handed out post ids past the source's while the target was live.
    await withDb(target.url, (db) => db.exec(`select setval(pg_get_serial_sequence('public.posts', 'id'), 1000)`));
    const r = await applyProject(spec);
    expect(r.error).toBeNull();
    const executed = r.steps.filter((s) => s.status === 'executed').map((s) => s.id);
    expect(executed).toEqual(expect.arrayContaining(['table:public.comments', 'data:public.comments', 'foreign-key:public.comments.comments_post_id_fkey']));
    expect(await digest(target.url, { comments: 'public.comments:id,post_id,body' })).toEqual(await digest(source.url, { comments: 'public.comments:id,post_id,body' }));
    // The new table's sequence continues after its loaded ids; the used one did not move back.
    const next = await withDb(target.url, (db) => db.query<{ comments: string; posts: string }>(
      `select nextval(pg_get_serial_sequence('public.comments', 'id'))::text as comments, nextval(pg_get_serial_sequence('public.posts', 'id'))::text as posts`));
    expect(Number(next.rows[0].comments)).toBe(51);
    expect(Number(next.rows[0].posts)).toBe(1001);
    await expectRowsKept(true);
    await expectSameAsFresh(spec);
  });

  it('drift: a change made by hand is reported by status --drift and blocks apply until allowed', async () => {
    const spec = writeSpec(dir, 'evolution:\n  allow_destructive: [public.posts.summary]\n  renames:\n    tables: { public.tags: labels }\n    columns: { public.posts.body: content }', { source: source.url, target: target.ownerUrl });
    expect((await statusProject(spec, { drift: true })).drift).toEqual({ checked: true, items: [] });
    await withDb(target.url, (db) => db.exec('alter table public.posts alter column title drop not null; create index by_hand on public.authors (email); drop policy posts_read on public.posts;'));
    const drift = (await statusProject(spec, { drift: true })).drift;
    expect(drift?.items.map((d) => `${d.change} ${d.object}`)).toEqual([
      'changed column public.posts.title',
      'added index public.authors.by_hand',
      'deleted policy public.posts.posts_read',
    ].sort((a, b) => (a.split(' ')[1] < b.split(' ')[1] ? -1 : 1)));
    const refused = await applyProject(spec).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UserError);
    expect(String((refused as UserError).message)).toContain('~ column public.posts.title (changed)');
    const allowed = await applyProject(spec, { allowDrift: true });
    expect(allowed.error).toBeNull();
    expect(allowed.drift.length).toBe(3);
    expect((await statusProject(spec, { drift: true })).drift?.items).toEqual([]);
  });
});
