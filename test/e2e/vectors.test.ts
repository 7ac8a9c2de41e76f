import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refreshSnapshot } from '../../src/commands/introspect';
import { planProject } from '../../src/commands/plan';
import { applyProject } from '../../src/commands/apply';
import { bootstrapTarget } from '../../src/commands/bootstrap';
import { validateProject } from '../../src/commands/validate';
import { closeNamedPglite, withDb } from '../../src/db';
import { snapshotFromJson } from '../../src/introspect';
import { typesSchemas } from '../../src/plan/types/index';
import { planVectors } from '../../src/plan/vectors';
import { validateVectors } from '../../src/validate/vectors';
import { loadSpec } from '../../src/spec';
import type { Spec } from '../../src/spec/types';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { EXAMPLE_DIR, loadSource } from '../helpers/sources';
import { parse, stringify } from 'yaml';
import { lineDifferences, postgresMetaTypes, servePglite } from '../plan/types/reference';

/**
 * The example's own vectors section, on the example's source, limited to the embeddings table
 * (and the functions that read it) so the test moves 200 rows instead of the whole platform;
 * the demo (test/cli) runs the complete example with the same section.
 */
function exampleVectorsSpec(): string {
  const example = parse(readFileSync(join(EXAMPLE_DIR, 'migration.yaml'), 'utf8')) as { vectors: unknown };
  return stringify({
    version: 1,
    name: 'toolboxai',
    source: { url: '${SOURCE_DATABASE_URL}' },
    target: { url: '${SUPABASE_DB_URL}' },
    schema: { include_schemas: ['public'], include_tables: ['public.content_embeddings'] },
    vectors: example.vectors,
  });
}

// pgvector exists in PGlite only (the local server has none), so the vector path runs there.
describe('the example embeddings on PGlite', () => {
  let source: FreshDatabase;
  let target: FreshDatabase;
  let dir: string;
  let spec: Spec;

  beforeAll(async () => {
    source = await freshDatabase('pglite', 'vsrc');
    target = await freshDatabase('pglite', 'vtgt');
    await loadSource(source.url, 'toolboxai');
    dir = mkdtempSync(join(tmpdir(), 'sm-vectors-'));
    writeFileSync(join(dir, 'migration.yaml'), exampleVectorsSpec());
    spec = loadSpec(join(dir, 'migration.yaml'), { SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: target.ownerUrl });
    await refreshSnapshot(spec);
    planProject(spec);
    await bootstrapTarget(target.url);
    const applied = await applyProject(spec);
    expect(applied.error).toBeNull();
  }, 240_000);
  afterAll(async () => {
    await closeNamedPglite();
  });

  const q = <R>(sql: string, params: unknown[] = []) => withDb(target.url, async (db) => (await db.query<R>(sql, params)).rows);

  it('arrive as extensions.vector(1536), every row, with the length check replaced by the type', async () => {
    const [col] = await q<{ type: string; notnull: boolean }>(
      `select format_type(atttypid, atttypmod) as type, attnotnull as notnull from pg_attribute where attrelid = 'public.content_embeddings'::regclass and attname = 'embedding'`,
    );
    expect(col).toEqual({ type: 'extensions.vector(1536)', notnull: true });
    const [counts] = await q<{ n: number; dims: number[] }>(`select count(*)::int as n, array_agg(distinct extensions.vector_dims(embedding)) as dims from public.content_embeddings`);
    expect(counts).toEqual({ n: 200, dims: [1536] });
    const checks = await q(`select conname from pg_constraint where conrelid = 'public.content_embeddings'::regclass and contype = 'c'`);
    expect(checks).toEqual([]);
  });

  it('are the same floats as the source arrays', async () => {
    const sourceText = await withDb(source.url, async (db) => (await db.query<{ t: string }>(`select array_to_string(embedding, ',') as t from public.content_embeddings where id = 7`)).rows[0].t);
    const [row] = await q<{ t: string }>(`select embedding::text as t from public.content_embeddings where id = 7`);
    expect(row.t).toBe(`[${sourceText}]`);
  });

  it('have an HNSW index with the cosine operator class, built in post-data', async () => {
    const rows = await q<{ def: string }>(`select pg_get_indexdef(indexrelid) as def from pg_index where indrelid = 'public.content_embeddings'::regclass and pg_get_indexdef(indexrelid) like '%hnsw%'`);
    expect(rows.map((r) => r.def)).toEqual([
      'CREATE INDEX content_embeddings_embedding_hnsw_idx ON public.content_embeddings USING hnsw (embedding extensions.vector_cosine_ops) WITH (m=\'16\', ef_construction=\'64\')',
    ]);
    const manifest = JSON.parse(readFileSync(join(dir, '.supamigrate/plan.json'), 'utf8')) as { steps: { id: string; phase: string }[] };
    const ids = manifest.steps.map((s) => s.id);
    const index = ids.indexOf('vector-index:public.content_embeddings.embedding');
    expect(manifest.steps[index].phase).toBe('post-data');
    expect(index).toBeGreaterThan(ids.indexOf('data:public.content_embeddings'));
  });

  it('match_content_embeddings returns the nearest rows first, under the caller\'s RLS', async () => {
    const rows = await q<{ id: string }>(
      `select id::text from public.match_content_embeddings((select embedding from public.content_embeddings where id = 7), 0.5, 5)`,
    );
    expect(rows[0].id).toBe('7');
    expect(rows).toHaveLength(5);
    const meta = await q<{ secdef: boolean; config: string[]; anon: boolean; authenticated: boolean }>(
      `select prosecdef as secdef, proconfig as config,
              has_function_privilege('anon', p.oid, 'execute') as anon, has_function_privilege('authenticated', p.oid, 'execute') as authenticated
         from pg_proc p where proname = 'match_content_embeddings'`,
    );
    expect(meta).toEqual([{ secdef: false, config: ['search_path=""'], anon: false, authenticated: true }]);
    // SECURITY INVOKER: with RLS on and no policy, a signed-in caller gets no rows through it.
    const [query] = await q<{ e: string }>(`select embedding::text as e from public.content_embeddings where id = 7`);
    const seen = await withDb(target.url, async (db) => {
      let n = -1;
      await db.transaction(async (tx) => {
        await tx.exec('alter table public.content_embeddings enable row level security; grant select on public.content_embeddings to authenticated; set local role authenticated');
        n = (await tx.query<{ n: number }>(`select count(*)::int as n from public.match_content_embeddings($1, 0.5, 5)`, [query.e])).rows[0].n;
        throw new Error('rollback');
      }).catch((err: Error) => { if (err.message !== 'rollback') throw err; });
      return n;
    });
    expect(seen).toBe(0);
  });

  it('nearest_chunks(real[]) keeps working through pgvector\'s implicit cast', async () => {
    const rows = await q<{ chunk_id: string }>(
      `select chunk_id::text from public.nearest_chunks((select embedding::real[] from public.content_embeddings where id = 7), 3)`,
    );
    expect(rows.map((r) => r.chunk_id)[0]).toBe('7');
  });

  it('validate: schema and data match, and recall@10 reaches 0.95 through the index', async () => {
    const v = await validateProject(spec);
    expect(v.schema?.differences).toEqual([]);
    expect(v.data?.tables).toEqual([expect.objectContaining({ table: 'public.content_embeddings', ok: true, sourceRows: 200, targetRows: 200 })]);
    const [col] = v.vectors!.columns;
    expect(col).toMatchObject({ column: 'public.content_embeddings.embedding', rows: 200, nulls: 0, wrongDimensions: 0, sourceWrongLength: 0, ok: true });
    expect(col.recall).toMatchObject({ k: 10, queries: 20, indexUsed: true, setting: 'hnsw.ef_search = 40' });
    expect(col.recall!.recall).toBeGreaterThanOrEqual(0.95);
    expect(v.ok).toBe(true);
  }, 120_000);

  it('recall below 0.95 fails the check and names the setting that reaches it (IVFFlat, 50 lists, 1 probe)', async () => {
    const [v] = planVectors(snapshotFromJson(readFileSync(join(dir, '.supamigrate/snapshot.json'), 'utf8')), spec).columns;
    const ivf = { ...v, settings: { ...v.settings, index: { method: 'ivfflat' as const, lists: 50 } } };
    await withDb(target.url, (db) => db.exec(`drop index public.content_embeddings_embedding_hnsw_idx;
      create index content_embeddings_embedding_ivfflat_idx on public.content_embeddings using ivfflat (embedding extensions.vector_cosine_ops) with (lists = 50)`));
    try {
      const r = await withDb(source.url, (src) => withDb(target.url, (tgt) => validateVectors(src, tgt, [ivf])));
      const [col] = r.columns;
      expect(r.ok).toBe(false);
      expect(col.recall).toMatchObject({ setting: 'ivfflat.probes = 1', indexUsed: true });
      expect(col.recall!.recall).toBeLessThan(0.95);
      expect(col.recall!.reachedWith?.setting).toMatch(/^ivfflat\.probes = \d+$/);
      expect(col.recall!.reachedWith!.recall).toBeGreaterThanOrEqual(0.95);
      expect(col.advice[0]).toContain(`raise ivfflat.probes (${col.recall!.reachedWith!.setting} gives`);
    } finally {
      await withDb(target.url, (db) => db.exec(`drop index public.content_embeddings_embedding_ivfflat_idx;
        create index content_embeddings_embedding_hnsw_idx on public.content_embeddings using hnsw (embedding extensions.vector_cosine_ops) with (m = 16, ef_construction = 64)`));
    }
  }, 120_000);

  it('database.types.ts shows the vector column and match function as postgres-meta prints them', async () => {
    const planned = readFileSync(join(dir, 'supabase/types/database.types.ts'), 'utf8');
    expect(planned).toContain('match_content_embeddings: {');
    const snapshot = snapshotFromJson(readFileSync(join(dir, '.supamigrate/snapshot.json'), 'utf8'));
    const served = await servePglite(target.url);
    try {
      const printed = await postgresMetaTypes(served.url, typesSchemas(snapshot, spec));
      expect(lineDifferences(printed, planned)).toEqual([]);
    } finally {
      await served.stop();
    }
  }, 120_000);
});
