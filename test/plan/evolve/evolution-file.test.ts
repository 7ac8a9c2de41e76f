import { createHash } from 'node:crypto';
import { type PlannedStep, type RecordedStep, rewritesTable, type TableState } from '../../../src/plan/evolve';
import { planEvolutionFile } from '../../../src/plan/evolve/file';
import { parseStepFile } from '../../../src/render';
import { renderEvolution } from '../../../src/render/evolution';

const NONE = { allowDestructive: [], renames: { tables: {}, columns: {} } };
const sum = (up: string, down: string) => createHash('sha256').update(up).update('\0').update(down).digest('hex');
const col = (name: string, type: string) => ({
  name,
  type,
  collation: null,
  default: null,
  identity: null,
  generated: null,
  notNull: false,
  comment: null,
});
const posts = (columns: TableState['columns']): TableState => ({
  schema: 'public',
  name: 'posts',
  columns,
  checks: [],
  comment: null,
  shape: 'r|||||d',
});
const step = (id: string, kind: string, sql: string, down: string, state?: TableState): PlannedStep => ({
  id,
  phase: 'pre-data',
  kind,
  checksum: sum(sql, down),
  sql,
  down,
  file: 'supabase/migrations/1_blog_pre_data.sql',
  ...(state ? { state } : {}),
});
const table = (state: TableState) =>
  step(
    'table:public.posts',
    'table',
    `create table posts (${state.columns.map((c) => c.name).join(', ')});\n`,
    'drop table posts;\n',
    state,
  );
const recorded = (s: PlannedStep, seq: number): RecordedStep => ({
  seq,
  id: s.id,
  phase: s.phase,
  kind: s.kind,
  checksum: s.checksum,
  up: s.sql,
  down: s.down,
  file: s.file,
  state: s.state ?? null,
});
const layout = { supabaseDir: 'supabase', stateDir: '.supamigrate', name: 'blog' };

describe('evolution files', () => {
  it('knows which type changes rewrite the table', () => {
    expect(rewritesTable('character varying(80)', 'character varying(200)')).toBe(false);
    expect(rewritesTable('character varying(80)', 'text')).toBe(false);
    expect(rewritesTable('numeric(10,2)', 'numeric(12,2)')).toBe(false);
    expect(rewritesTable('numeric(10,2)', 'numeric(12,4)')).toBe(true);
    expect(rewritesTable('integer', 'bigint')).toBe(true);
    expect(rewritesTable('text', 'text')).toBe(false);
  });

  it('holds the ALTERs, then the new steps; reports a rewrite with the table size; runs in order with checksums', () => {
    const before = table(posts([col('id', 'integer'), col('title', 'character varying(80)')]));
    const after = table(posts([col('id', 'bigint'), col('title', 'character varying(200)'), col('summary', 'text')]));
    const index = step(
      'index:public.posts.by_title',
      'index',
      'create index by_title on posts (title);\n',
      'drop index by_title;\n',
    );
    const plan = planEvolutionFile([recorded(before, 1)], [after, index], NONE, '20240101000005', 'abc', (t) =>
      t === 'public.posts' ? { estimatedRows: 1500, sizeBytes: 3 * 1024 * 1024 } : undefined,
    );
    expect(plan.steps.map((s) => [s.role, s.id])).toEqual([
      ['evolution', 'evolve:20240101000005:1:alter:table:public.posts'],
      ['plan', 'index:public.posts.by_title'],
    ]);
    expect(plan.rewrites).toEqual([
      { table: 'public.posts', columns: ['id: integer -> bigint'], estimatedRows: 1500, sizeBytes: 3 * 1024 * 1024 },
    ]);
    const [sql, down, manifest] = renderEvolution(plan, layout);
    expect(sql.path).toBe('supabase/migrations/20240101000005_blog_evolve.sql');
    expect(sql.content).toContain(
      '-- rewrites public.posts (about 1500 rows, 3.0 MB) under an ACCESS EXCLUSIVE lock: id: integer -> bigint',
    );
    expect(sql.content.indexOf("set lock_timeout = '5s';")).toBeLessThan(sql.content.indexOf('-- step: '));
    expect(down.path).toBe('.supamigrate/down/20240101000005_blog_evolve.down.sql');
    const parsed = parseStepFile(sql.content);
    expect(parsed[1].sql).toBe(index.sql);
    const m = JSON.parse(manifest.content) as { steps: { id: string; checksum: string; down: string }[] };
    // The plan step keeps the plan's checksum: a target that ran the file records exactly the plan's step.
    expect(m.steps[1].checksum).toBe(index.checksum);
    expect(m.steps[0].checksum).toBe(sum(parsed[0].sql, m.steps[0].down));
  });
});
