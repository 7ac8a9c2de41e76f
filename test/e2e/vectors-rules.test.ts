import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeProjectWithTarget } from '../../src/commands/analyze';
import { refreshSnapshot } from '../../src/commands/introspect';
import { planProject } from '../../src/commands/plan';
import { applyProject } from '../../src/commands/apply';
import { bootstrapTarget } from '../../src/commands/bootstrap';
import { validateProject } from '../../src/commands/validate';
import { closeNamedPglite, withDb } from '../../src/db';
import { loadSpec } from '../../src/spec';
import type { Spec } from '../../src/spec/types';
import { describeEach, freshDatabase, type FreshDatabase } from '../helpers/databases';

/** Three-dimensional embeddings, one row too short, one null, and a jsonb copy of each. */
const SOURCE = `
create table public.docs (
  id integer primary key,
  embedding real[],
  embedding_json jsonb
);
insert into public.docs values
  (1, '{1,0,0}', '[1, 0, 0]'),
  (2, '{0.9,0.1,0}', '[0.9, 0.1, 0]'),
  (3, '{0,1,0}', '[0, 1, 0]'),
  (4, '{0,0.5}', '[0, 0.5]'),
  (5, null, null);`;

async function project(kind: 'pglite' | 'server', rule: string): Promise<{ spec: Spec; source: FreshDatabase; target: FreshDatabase }> {
  const source = await freshDatabase(kind, 'vrsrc');
  const target = await freshDatabase(kind, 'vrtgt');
  await withDb(source.url, (db) => db.exec(SOURCE));
  const dir = mkdtempSync(join(tmpdir(), 'sm-vrules-'));
  writeFileSync(join(dir, 'migration.yaml'), [
    'version: 1',
    'name: rules',
    'schema: { include_schemas: [public] }',
    'vectors:',
    '  dimensions: 3',
    `  on_wrong_length: ${rule}`,
    '  columns:',
    '    public.docs.embedding: {}',
    '    public.docs.embedding_json: { distance: l2 }',
    '',
  ].join('\n'));
  const spec = loadSpec(join(dir, 'migration.yaml'), { SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: target.ownerUrl });
  await refreshSnapshot(spec);
  planProject(spec);
  await bootstrapTarget(target.url);
  return { spec, source, target };
}

const rows = (url: string) =>
  withDb(url, async (db) => (await db.query<{ id: number; e: string | null; j: string | null }>('select id, embedding::text as e, embedding_json::text as j from public.docs order by id')).rows);

describe('a row of the wrong length, on PGlite', () => {
  afterAll(() => closeNamedPglite());

  it('fail: the load stops and names the row\'s key', async () => {
    const { spec, target } = await project('pglite', 'fail');
    const r = await applyProject(spec);
    expect(r.ok).toBe(false);
    expect(r.error).toContain('data:public.docs');
    expect(r.error).toContain('"id"=4');
    expect(r.error).toContain('expected 3 dimensions, not 2');
    expect(await rows(target.url)).toEqual([]);
  }, 120_000);

  it('skip: the row is not loaded, and validate --vectors reports it', async () => {
    const { spec, target } = await project('pglite', 'skip');
    expect((await applyProject(spec)).error).toBeNull();
    expect(await rows(target.url)).toEqual([
      { id: 1, e: '[1,0,0]', j: '[1,0,0]' },
      { id: 2, e: '[0.9,0.1,0]', j: '[0.9,0.1,0]' },
      { id: 3, e: '[0,1,0]', j: '[0,1,0]' },
      { id: 5, e: null, j: null },
    ]);
    const v = await validateProject(spec);
    expect(v.data?.tables).toEqual([expect.objectContaining({ table: 'public.docs', ok: true, sourceRows: 4, targetRows: 4 })]);
    expect(v.vectors?.columns.map((c) => [c.column, c.rows, c.nulls, c.wrongDimensions, c.sourceWrongLength, c.onWrongLength])).toEqual([
      ['public.docs.embedding', 4, 1, 0, 1, 'skip'],
      ['public.docs.embedding_json', 4, 1, 0, 1, 'skip'],
    ]);
    expect(v.vectors?.columns[0].advice).toEqual(['1 source rows have another length (on_wrong_length: skip, not loaded)']);
    expect(v.schema?.differences).toEqual([]);
    expect(v.ok).toBe(true);
  }, 120_000);

  it('null: the row is loaded with a null vector', async () => {
    const { spec, target } = await project('pglite', 'null');
    expect((await applyProject(spec)).error).toBeNull();
    expect((await rows(target.url)).find((r) => r.id === 4)).toEqual({ id: 4, e: null, j: null });
    const v = await validateProject(spec, { vectors: true });
    expect(v.vectors?.columns.map((c) => [c.rows, c.nulls, c.sourceWrongLength])).toEqual([[5, 2, 1], [5, 2, 1]]);
    // The L2 index answers for the jsonb column: the nearest to row 1 is row 2.
    const near = await withDb(target.url, (db) => db.query<{ id: number }>(`select id from public.match_docs_embedding_json('[1,0,0]', 0.5, 5)`));
    expect(near.rows.map((r) => r.id)).toEqual([1, 2]);
  }, 120_000);
});

// The local server has no pgvector: the vector plan must stop before it changes anything.
describeEach(process.env.TEST_DATABASE_URL ? ['server'] : [], 'a target without pgvector (%s)', () => {
  it('analyze reports it, and apply refuses before the first step', async () => {
    const { spec, source, target } = await project('server', 'fail');
    try {
      const analysis = await analyzeProjectWithTarget(spec, { target: target.url });
      expect(analysis.risks.filter((r) => r.code === 'pgvector-missing').map((r) => `${r.severity} ${r.object}`)).toEqual([
        'high public.docs.embedding',
      ]);
      await expect(applyProject(spec)).rejects.toThrow('does not have pgvector (the vector extension), which the plan needs for its vector columns; nothing was applied');
      const left = await withDb(target.url, (db) => db.query<{ n: number }>(
        `select (select count(*) from pg_class where relnamespace = 'public'::regnamespace)::int
              + (select count(*) from pg_namespace where nspname = 'supamigrate')::int as n`,
      ));
      expect(left.rows[0].n).toBe(0);
    } finally {
      await source.drop();
      await target.drop();
    }
  }, 120_000);
});
