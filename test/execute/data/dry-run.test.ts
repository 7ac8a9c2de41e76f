import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refreshSnapshot } from '../../../src/commands/introspect';
import { planProject } from '../../../src/commands/plan';
import { applyProject } from '../../../src/commands/apply';
import { bootstrapTarget } from '../../../src/commands/bootstrap';
import { closeNamedPglite, withDb } from '../../../src/db';
import { loadSpec } from '../../../src/spec';
import { freshDatabase, type FreshDatabase, TARGETS } from '../../helpers/databases';

/**
 * `apply --dry-run` loads the first batch of every table into the rolled-back transaction, so a
 * row the target refuses is found before the real run. Here the spec converts json to jsonb,
 * and jsonb refuses a \u0000 escape that json accepts: a real difference between the two.
 */
const SOURCE = `
create table public.docs (id int primary key, body json not null);
create table public.notes (id int primary key, note text not null check (note <> ''));
insert into public.notes select g, 'note ' || g from generate_series(1, 30) g;
`;

describe.each(TARGETS)('apply --dry-run copies a first batch on %s', (kind) => {
  let source: FreshDatabase;
  let target: FreshDatabase;
  let dir: string;
  const spec = () => loadSpec(join(dir, 'migration.yaml'), { SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: target.url });
  const rowsIn = (table: string) => withDb(target.url, async (db) => {
    const r = await db.query<{ n: string | null }>(`select to_regclass($1)::text as n`, [table]);
    return r.rows[0].n;
  });

  beforeAll(async () => {
    source = await freshDatabase(kind, 'dry_src');
    target = await freshDatabase(kind, 'dry_tgt');
    await withDb(source.url, (db) => db.exec(SOURCE));
    dir = mkdtempSync(join(tmpdir(), 'sm-dry-'));
    writeFileSync(
      join(dir, 'migration.yaml'),
      ['version: 1', 'name: dry', 'source:', '  url: ${SOURCE_DATABASE_URL}', 'target:', '  url: ${SUPABASE_DB_URL}',
        'schema:', '  type_mappings:', '    json: jsonb', 'data:', '  batch_size: 10', ''].join('\n'),
    );
    await bootstrapTarget(target.url);
  });
  afterAll(async () => {
    await source.drop();
    await target.drop();
    await closeNamedPglite();
  });

  it('passes, loads nothing and leaves no table behind when every first batch is accepted', async () => {
    await withDb(source.url, (db) => db.exec(`insert into public.docs select g, json_build_object('g', g) from generate_series(1, 25) g`));
    await refreshSnapshot(spec());
    planProject(spec());
    const r = await applyProject(spec(), { dryRun: true });
    expect(r.error).toBeNull();
    const data = r.steps.filter((s) => s.phase === 'data');
    expect(data.map((s) => [s.id, s.status])).toEqual([
      ['data:public.docs', 'checked'],
      ['data:public.notes', 'checked'],
    ]);
    expect(await rowsIn('public.docs')).toBeNull();
  });

  it('fails on a row jsonb refuses, naming the table, the row key and the reason, and rolls everything back', async () => {
    // Row 3 is in the first batch of 10 rows (key order).
    await withDb(source.url, (db) => db.exec(`update public.docs set body = '{"a": "\\u0000"}' where id = 3`));
    const r = await applyProject(spec(), { dryRun: true });
    expect(r.ok).toBe(false);
    const docs = r.steps.find((s) => s.id === 'data:public.docs')!;
    expect(docs.status).toBe('failed');
    expect(docs.error).toMatch(/data:public\.docs: chunk 0: .*unsupported Unicode escape sequence/);
    expect(docs.error).toContain('(row "id"=3)');
    // The other table's first batch was still tried, and passed.
    expect(r.steps.find((s) => s.id === 'data:public.notes')!.status).toBe('checked');
    // Post-data steps after the failure did not run; nothing was committed.
    expect(r.steps.filter((s) => s.phase === 'post-data').every((s) => s.status === 'not-run')).toBe(true);
    expect(await rowsIn('public.docs')).toBeNull();
    const checkpoints = await withDb(target.url, (db) => db.query(`select to_regclass('supamigrate.data_chunks')::text as t`));
    expect(checkpoints.rows[0]).toEqual({ t: null });
  });

  it('and the real run fails the same way, with nothing of that table half-loaded', async () => {
    const r = await applyProject(spec());
    expect(r.ok).toBe(false);
    expect(r.steps.find((s) => s.id === 'data:public.docs')!.error).toContain('(row "id"=3)');
    const loaded = await withDb(target.url, (db) =>
      db.query<{ docs: string; notes: string }>(`select (select count(*) from public.docs)::text as docs, (select count(*) from public.notes)::text as notes`),
    );
    // Chunks of 10 x 100 rows: the docs chunk holding row 3 is refused whole; notes loaded.
    expect(loaded.rows[0]).toEqual({ docs: '0', notes: '30' });
  });
});
