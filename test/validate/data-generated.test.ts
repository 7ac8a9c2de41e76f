import { parityLines } from '../../src/cli/render';
import { closeNamedPglite } from '../../src/db';
import { introspect } from '../../src/introspect';
import { planData } from '../../src/plan/data';
import { compareData } from '../../src/validate';
import { freshDatabase, TARGETS, withDb } from '../helpers/databases';

/**
 * dbdev's case (notes/security3.md): a STORED generated column over a function that a later
 * migration redefined without recomputing the old rows. The copy leaves generated columns out and
 * the target computes them afresh, so validate --data must see the difference and say why, as a
 * warning on a table whose copied columns match.
 */
const SCHEMA = `
create function public.label(t text) returns text language sql immutable as $$ select upper(t) $$;
create table public.pkgs (
  id int primary key,
  handle text not null,
  name text generated always as (public.label(handle)) stored,
  size int generated always as (length(handle)) stored
);`;
const ROWS = `insert into public.pkgs (id, handle) select g, 'pkg-' || g from generate_series(1, 30) g`;
const REDEFINE = `create or replace function public.label(t text) returns text language sql immutable as $$ select replace(upper(t), '-', '@') $$`;

async function compare(kind: (typeof TARGETS)[number], redefined: boolean) {
  const source = await freshDatabase(kind, 'gensrc');
  const target = await freshDatabase(kind, 'gentgt');
  try {
    await withDb(source.url, (db) => db.exec(`${SCHEMA}\n${ROWS};\n${redefined ? `${REDEFINE};` : ''}`));
    await withDb(target.url, (db) => db.exec(`${SCHEMA}\n${redefined ? `${REDEFINE};` : ''}\n${ROWS};`));
    const snapshot = await withDb(source.url, (db) => introspect(db, { includeSchemas: ['public'] }));
    const copies = planData(snapshot, { tables: {}, schemaRename: {} });
    expect(copies.map((c) => c.generated?.map((g) => g.source))).toEqual([['name', 'size']]);
    return await withDb(source.url, (src) => withDb(target.url, (tgt) => compareData(src, tgt, copies, 10, { asOf: 'now' })));
  } finally {
    await source.drop();
    await target.drop();
  }
}

describe.each(TARGETS)('validate --data over generated columns (%s)', (kind) => {
  afterAll(() => closeNamedPglite());

  it('warns, naming the column and the cause, when the target recomputed other values', async () => {
    const [t] = await compare(kind, true);
    expect({ ok: t.ok, rows: t.targetRows }).toEqual({ ok: true, rows: 30 });
    expect(t.generated).toEqual([
      { column: 'name', expression: expect.stringContaining('label(handle)'), differingRanges: ['0..10', '10..20', '20..30', '30..40'] },
    ]);
    const text = parityLines([t]).join('\n');
    expect(text).toContain('checksums match');
    expect(text).toMatch(/WARN generated column public\.pkgs\.name differs in 4 key range\(s\)/);
    expect(text).toContain('computed it afresh from the current expression');
    expect(text).toContain('as a pg_dump restore does');
  }, 120_000);

  it('says nothing when the generated values agree', async () => {
    const [t] = await compare(kind, false);
    expect({ ok: t.ok, generated: t.generated }).toEqual({ ok: true, generated: [] });
    expect(parityLines([t]).join('\n')).not.toContain('WARN');
  }, 120_000);
});
