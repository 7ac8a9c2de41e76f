import { bootstrap } from '../../src/bootstrap';
import { closeNamedPglite, withDb } from '../../src/db';
import type { Spec } from '../../src/spec/types';
import { accessMatrix, MATRIX_ACTORS } from '../helpers/access-matrix';
import { freshDatabase, TARGETS, type FreshDatabase } from '../helpers/databases';
import { specOpenedCells, withoutOpened } from '../helpers/matrix-scope';
import { grantedMatviews, matrixViews, openCells, viewMatrix, viewOpenedCells, type MatrixView } from '../helpers/view-matrix';

/**
 * The view matrix can fail: a view with its owner's rights over a table whose RLS lets nobody in,
 * and a matview granted to anon, are open cells; with security_invoker and the matview revoked
 * they are closed. The table itself is closed all along (the control).
 */
const SETUP = `
  create table public.notes (id int primary key, body text not null);
  alter table public.notes enable row level security;
  insert into public.notes values (1, 'first'), (2, 'second');
  create view public.note_view as select id, body from public.notes;
  create view public.note_lengths as select id, length(body) as n from public.notes;
  create materialized view public.note_counts as select count(*) as n from public.notes;
  create schema later;
  create materialized view later.empty_counts as select count(*) as n from public.notes with no data;
  create view later.notes_too as select id from public.notes;
  grant usage on schema later to anon, authenticated;
  grant all on public.notes, public.note_view, public.note_lengths, later.notes_too to anon, authenticated;
  grant select on public.note_counts to anon, authenticated;
  grant select on later.empty_counts to public;`;

const NO_SECURITY = { security: {} } as Pick<Spec, 'security'>;

describe.each(TARGETS)('the view matrix on %s', (kind) => {
  let fresh: FreshDatabase;
  let views: MatrixView[];
  beforeAll(async () => {
    fresh = await freshDatabase(kind, 'viewmx');
    await withDb(fresh.url, async (db) => {
      await bootstrap(db);
      await db.exec(SETUP);
      views = await matrixViews(db, fresh.url, NO_SECURITY);
    });
  });
  afterAll(async () => {
    await fresh?.drop();
    await closeNamedPglite();
  });

  it('covers the views and matviews of every application schema, with what each can be asked to write', () => {
    const shape = views.map((v) => ({ key: v.key, materialized: v.materialized, writes: v.writes, columns: v.columns, base: v.base }));
    expect(shape).toEqual([
      { key: 'later.empty_counts', materialized: true, writes: [], columns: [], base: ['public.notes'] },
      { key: 'later.notes_too', materialized: false, writes: ['insert', 'update', 'delete'], columns: ['id'], base: ['public.notes'] },
      { key: 'public.note_counts', materialized: true, writes: [], columns: [], base: ['public.notes'] },
      { key: 'public.note_lengths', materialized: false, writes: ['insert', 'update', 'delete'], columns: ['id'], base: ['public.notes'] },
      { key: 'public.note_view', materialized: false, writes: ['insert', 'update', 'delete'], columns: ['id', 'body'], base: ['public.notes'] },
    ]);
  });

  it('reports the rows an owner-rights view and a granted matview show, where the table shows none', async () => {
    const tables = await withDb(fresh.url, (db) => accessMatrix(db, ['public.notes']));
    expect(openCells(tables)).toEqual([]);
    const matrix = await withDb(fresh.url, (db) => viewMatrix(db, views));
    const open = openCells(matrix);
    for (const actor of ['anon', 'user1', 'stranger']) {
      expect(open).toEqual(expect.arrayContaining([`public.note_view ${actor} select`, `public.note_counts ${actor} select`, `later.notes_too ${actor} select`]));
      expect(matrix[`public.note_view ${actor} select`]).toBe(2);
      expect(matrix[`public.note_view ${actor} update`]).toBe(2);
      expect(matrix[`public.note_view ${actor} delete`]).toBe(2);
      // Both rows get as far as the primary key: nothing refused them.
      expect(matrix[`public.note_view ${actor} insert`]).toBe(2);
      // Through a view with a computed column, only the plain one is written; body is not null, so the insert fails there.
      expect(matrix[`public.note_lengths ${actor} update`]).toBe(2);
    }
    expect(Object.entries(matrix).filter(([k, v]) => typeof v === 'string' && !k.startsWith('later.empty_counts '))).toEqual([]);
  });

  it('reports a matview granted to an API role even while it holds no row', async () => {
    const matrix = await withDb(fresh.url, (db) => viewMatrix(db, views));
    // Not populated: reading it fails for whoever may read it, so its cells say nothing.
    expect(matrix['later.empty_counts anon select']).toBe('error 55000');
    const granted = await withDb(fresh.url, (db) => grantedMatviews(db, views));
    expect(granted).toEqual([
      'later.empty_counts anon select', 'later.empty_counts authenticated select',
      'public.note_counts anon select', 'public.note_counts authenticated select',
    ]);
  });

  it('leaves out the cells the spec opened: a view over opened tables shows what they show', () => {
    const spec = { security: { tables: { 'public.notes': [{ kind: 'public_read', filter: null, roles: ['anon'], operations: ['select'] }] } } } as unknown as Spec;
    const opened = viewOpenedCells(views, specOpenedCells(spec));
    expect([...opened].sort()).toEqual(['later.notes_too anon select', 'public.note_lengths anon select', 'public.note_view anon select']);
    const roleOf = (actor: string) => (actor === 'anon' ? 'anon' : 'authenticated');
    const cells = { 'public.note_view anon select': 2, 'public.note_counts anon select': 1, 'public.note_view user1 select': 2 };
    expect(Object.keys(withoutOpened(cells, opened, roleOf))).toEqual(['public.note_counts anon select', 'public.note_view user1 select']);
  });

  it('reports nothing once the views read with the caller\'s rights and the matview is revoked', async () => {
    await withDb(fresh.url, (db) =>
      db.exec(`alter view public.note_view set (security_invoker = on);
        alter view public.note_lengths set (security_invoker = on);
        alter view later.notes_too set (security_invoker = on);
        revoke all on public.note_counts from anon, authenticated;
        revoke all on later.empty_counts from public;`),
    );
    const matrix = await withDb(fresh.url, (db) => viewMatrix(db, views));
    expect(openCells(matrix)).toEqual([]);
    expect(await withDb(fresh.url, (db) => grantedMatviews(db, views))).toEqual([]);
    // Closed, not failing: every cell is a count of 0.
    expect(Object.values(matrix).filter((v) => v !== 0)).toEqual([]);
    // Per actor: a select on each of the five, and three writes on each of the three views.
    expect(Object.keys(matrix).length).toBe(MATRIX_ACTORS.length * (5 + 3 * 3));
  });
});
