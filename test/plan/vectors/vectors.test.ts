import { buildPlan } from '../../../src/plan';
import { planVectors } from '../../../src/plan/vectors';
import type { TableCopy } from '../../../src/plan/data/types';
import { parseSpec } from '../../../src/spec';
import type { Spec } from '../../../src/spec/types';
import { column, constraint, snapshot, table } from '../../analyze/builder';

const docs = () => table('public.docs', [
  column('id', 'int8', { notNull: true }),
  column('embedding', 'float4', { isArray: true, notNull: true }),
  column('meta', 'jsonb'),
], { constraints: [constraint('p', 'docs_pkey', ['id']), constraint('c', 'docs_embedding_check', ['embedding'], { definition: 'CHECK ((array_length(embedding, 1) = 3))' })] });

const source = () => snapshot({ tables: [docs()] });

function specOf(vectors: string, env: Record<string, string> = {}): Spec {
  return parseSpec(`version: 1\nname: app\nvectors:\n${vectors}`, '/work/app/migration.yaml', env);
}

const ONE = '  dimensions: 3\n  columns:\n    public.docs.embedding: {}\n';

describe('planVectors', () => {
  it('types the column extensions.vector(N) in the CREATE TABLE, drops the length check, creates the extension once', () => {
    const plan = buildPlan(specOf(ONE), source());
    const create = plan.steps.find((s) => s.id === 'table:public.docs')!;
    expect(create.sql).toContain('"embedding" extensions.vector(3) not null');
    expect(create.sql).not.toContain('array_length');
    expect(plan.steps.filter((s) => s.id === 'extension:vector')).toHaveLength(1);
    expect(plan.steps.find((s) => s.id === 'extension:vector')!.sql).toContain('create extension "vector" with schema extensions;');
    expect(plan.steps.some((s) => s.sql.includes('alter table') && s.sql.includes('embedding'))).toBe(false);
  });

  it('converts in the source SELECT of the data step, not afterwards', () => {
    const plan = buildPlan(specOf(ONE), source());
    const copy = JSON.parse(plan.steps.find((s) => s.id === 'data:public.docs')!.sql) as TableCopy;
    expect(copy.columns.find((c) => c.source === 'embedding')).toEqual({
      source: 'embedding', target: 'embedding', cast: null, expression: `'[' || array_to_string("embedding", ',') || ']'`,
    });
    expect(copy.columns.find((c) => c.source === 'meta')).not.toHaveProperty('expression');
    expect(copy.where).toBeNull();
  });

  it('builds the HNSW index with the distance\'s operator class in post-data, after the load', () => {
    const plan = buildPlan(specOf(ONE), source());
    const ids = plan.steps.map((s) => s.id);
    const index = plan.steps.find((s) => s.id === 'vector-index:public.docs.embedding')!;
    expect(index.phase).toBe('post-data');
    expect(index.sql).toBe('create index "docs_embedding_hnsw_idx" on "public"."docs" using hnsw ("embedding" extensions.vector_cosine_ops) with (m = 16, ef_construction = 64);\n');
    expect(index.down).toBe('drop index "public"."docs_embedding_hnsw_idx";\n');
    expect(ids.indexOf(index.id)).toBeGreaterThan(ids.indexOf('data:public.docs'));
    expect(ids.indexOf(index.id)).toBeGreaterThan(ids.indexOf('constraint:public.docs.docs_pkey'));
  });

  it('IVFFlat and L2 / inner product pick their operator classes; halfvec its own', () => {
    const l2 = planVectors(source(), specOf(`${ONE.replace('{}', '{ distance: l2, index: { ivfflat: { lists: 7 } } }')}`));
    expect(l2.steps[0].sql).toBe('create index "docs_embedding_ivfflat_idx" on "public"."docs" using ivfflat ("embedding" extensions.vector_l2_ops) with (lists = 7);\n');
    const ip = planVectors(source(), specOf(`${ONE.replace('{}', '{ distance: inner_product, type: halfvec }')}`));
    expect(ip.steps[0].sql).toContain('using hnsw ("embedding" extensions.halfvec_ip_ops)');
    expect(ip.schemaSnapshot.tables[0].columns[1].type).toBe('extensions.halfvec(3)');
    const none = planVectors(source(), specOf(`${ONE.replace('{}', '{ index: { none: true } }')}`));
    expect(none.steps.map((s) => s.id)).toEqual(['vector-function:public.match_docs']);
  });

  it('writes match_<table>: ordered by distance, SECURITY INVOKER, empty search_path, granted to authenticated, with its down', () => {
    const fn = planVectors(source(), specOf(ONE)).steps.find((s) => s.kind === 'function')!;
    expect(fn.sql).toBe(`create function "public"."match_docs"(query_embedding extensions.vector(3), match_threshold double precision, match_count integer)
returns setof "public"."docs"
language sql stable
security invoker
set search_path = ''
as $$
  select t.*
  from "public"."docs" as t
  where t."embedding" operator(extensions.<=>) query_embedding < 1 - match_threshold
  order by t."embedding" operator(extensions.<=>) query_embedding
  limit match_count
$$;
comment on function "public"."match_docs"(query_embedding extensions.vector, match_threshold double precision, match_count integer) is 'Rows of public.docs nearest to query_embedding (cosine similarity above match_threshold), nearest first; runs with the caller''s row level security.';
revoke execute on function "public"."match_docs"(query_embedding extensions.vector, match_threshold double precision, match_count integer) from public, anon;
grant execute on function "public"."match_docs"(query_embedding extensions.vector, match_threshold double precision, match_count integer) to authenticated, service_role;
`);
    expect(fn.down).toBe('drop function "public"."match_docs"(query_embedding extensions.vector, match_threshold double precision, match_count integer);\n');
  });

  it('applies the wrong-length rule: fail lets the target refuse, skip filters rows, null nulls them and drops NOT NULL', () => {
    const fail = planVectors(source(), specOf(ONE));
    expect(fail.filters).toEqual({});
    const skip = planVectors(source(), specOf(ONE.replace('{}', '{ on_wrong_length: skip }')));
    expect(skip.filters).toEqual({ 'public.docs': '("embedding" is null or (cardinality("embedding") = 3 and array_position("embedding", null) is null))' });
    const nulls = planVectors(source(), specOf(ONE.replace('{}', '{ on_wrong_length: null }')));
    expect(nulls.expressions['public.docs.embedding']).toBe(
      `case when ("embedding" is null or (cardinality("embedding") = 3 and array_position("embedding", null) is null)) then '[' || array_to_string("embedding", ',') || ']' end`,
    );
    expect(nulls.schemaSnapshot.tables[0].columns[1].notNull).toBe(false);
    const plan = buildPlan(specOf(ONE.replace('{}', '{ on_wrong_length: skip }')), source());
    expect((JSON.parse(plan.steps.find((s) => s.id === 'data:public.docs')!.sql) as TableCopy).where).toBe(skip.filters['public.docs']);
  });

  it('reads jsonb arrays and double precision arrays through real, so both sides print the same digits', () => {
    const s = snapshot({ tables: [table('public.docs', [column('id', 'int8', { notNull: true }), column('embedding', 'float8', { isArray: true }), column('meta', 'jsonb')])] });
    const p = planVectors(s, specOf('  dimensions: 3\n  columns:\n    public.docs.embedding: {}\n    public.docs.meta: {}\n'));
    expect(p.expressions['public.docs.embedding']).toBe(`'[' || array_to_string(("embedding")::real[], ',') || ']'`);
    expect(p.expressions['public.docs.meta']).toContain(`from jsonb_array_elements("meta") with ordinality as e(value, ordinality)`);
    expect(p.steps.filter((x) => x.kind === 'function').map((x) => x.id)).toEqual(['vector-function:public.match_docs_embedding', 'vector-function:public.match_docs_meta']);
  });

  it('is off when options.enable_vector_migration is false: the plan is the one without a vectors section', () => {
    const off = buildPlan(parseSpec(`version: 1\nname: app\noptions: { enable_vector_migration: false }\nvectors:\n${ONE}`, '/work/app/migration.yaml', {}), source());
    // The retired variable changes nothing: the plan depends on the repository alone.
    expect(buildPlan(specOf(ONE, { ENABLE_VECTOR_MIGRATION: 'false' }), source())).toEqual(buildPlan(specOf(ONE), source()));
    const without = buildPlan(parseSpec('version: 1\nname: app\n', '/work/app/migration.yaml', {}), source());
    expect(off).toEqual(without);
    expect(off.steps.find((s) => s.id === 'table:public.docs')!.sql).toContain('real[]');
  });

  it('is deterministic, and the types describe the match function', () => {
    const a = buildPlan(specOf(ONE), source());
    const b = buildPlan(specOf(ONE), source());
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const types = a.files.find((f) => f.path.endsWith('database.types.ts'))!.content;
    expect(types).toContain('match_docs: {');
    expect(types).toMatch(/embedding: string\n/);
  });

  it('refuses a column that does not exist or cannot hold a vector', () => {
    expect(() => planVectors(source(), specOf('  columns:\n    public.docs.nope: {}\n'))).toThrow('vectors.columns.public.docs.nope: no such column');
    expect(() => planVectors(source(), specOf('  columns:\n    public.docs.id: {}\n'))).toThrow('bigint cannot become a vector');
  });
});

describe('the vectors section of migration.yaml', () => {
  const problems = (yaml: string) => {
    try {
      specOf(yaml);
      return '';
    } catch (err) {
      return (err as Error).message;
    }
  };

  it('defaults every column from the section: 1536 dimensions, vector, cosine, hnsw 16/64, fail', () => {
    expect(specOf('  columns:\n    public.docs.embedding: {}\n').vectors).toEqual({
      dimensions: 1536,
      columns: { 'public.docs.embedding': { dimensions: 1536, type: 'vector', distance: 'cosine', index: { method: 'hnsw', m: 16, efConstruction: 64 }, onWrongLength: 'fail' } },
    });
    expect(specOf('  dimensions: 768\n  distance: l2\n  columns:\n    public.docs.embedding: { index: { hnsw: { m: 32 } } }\n').vectors.columns['public.docs.embedding'])
      .toEqual({ dimensions: 768, type: 'vector', distance: 'l2', index: { method: 'hnsw', m: 32, efConstruction: 64 }, onWrongLength: 'fail' });
  });

  it('reports what pgvector cannot index, and bad keys, at their line and column', () => {
    expect(problems('  columns:\n    public.docs.embedding:\n      dimensions: 3072\n')).toContain(
      'migration.yaml:6:19 vectors.columns.public.docs.embedding.dimensions: 3072 dimensions cannot be indexed as vector (pgvector indexes vector up to 2000)\n  fix: set type: halfvec',
    );
    expect(problems('  columns:\n    public.docs.embedding:\n      dimensions: 3072\n      type: halfvec\n')).toBe('');
    expect(problems('  columns:\n    public.docs.embedding: { distance: cosin }\n')).toContain('did you mean "cosine"?');
    expect(problems('  columns:\n    public.docs.embedding: { index: { hnsw: {}, ivfflat: {} } }\n')).toContain('names 2 index methods (hnsw, ivfflat)');
    expect(problems('  columns:\n    docs.embedding: {}\n')).toContain('vectors.columns');
    expect(problems('  on_wrong_lenght: skip\n')).toContain('did you mean "on_wrong_length"?');
  });
});
