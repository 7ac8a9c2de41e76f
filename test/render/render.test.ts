import { renderPlan, parseStepFile, manifestOf } from '../../src/render';
import { step } from '../../src/plan/schema/step';
import type { Plan } from '../../src/plan/types';

const plan: Plan = {
  formatVersion: 1,
  engineVersion: '0.0.0-test',
  steps: [
    step('schema:app', 'pre-data', 'schema', 'create schema "app";', 'drop schema "app";'),
    step('table:app.t', 'pre-data', 'table', 'create table "app"."t" (\n  "id" int\n);\n\n-- a comment kept as written', 'drop table "app"."t";'),
    step('index:app.t_id', 'post-data', 'index', 'CREATE INDEX t_id ON app.t USING btree (id);', 'drop index "app"."t_id";'),
  ],
  files: [{ path: 'supabase/tests/database/app.test.sql', content: 'select plan(1);\n' }],
};
const layout = { supabaseDir: 'supabase', stateDir: '.supamigrate', name: 'app' };

describe('renderPlan', () => {
  const files = renderPlan(plan, layout);

  it('writes one Supabase migration and one down file per phase, plus the manifest, sorted by path', () => {
    expect(files.map((f) => f.path)).toEqual([
      '.supamigrate/down/20000101000100_app_pre_data.down.sql',
      '.supamigrate/down/20000101000300_app_post_data.down.sql',
      '.supamigrate/plan.json',
      'supabase/migrations/20000101000100_app_pre_data.sql',
      'supabase/migrations/20000101000300_app_post_data.sql',
      'supabase/tests/database/app.test.sql',
    ]);
  });

  it('reads back exactly the SQL of every step from the migration files', () => {
    const pre = files.find((f) => f.path.endsWith('_pre_data.sql') && f.path.startsWith('supabase'));
    const parsed = parseStepFile(pre?.content ?? '');
    expect(parsed.map((p) => p.id)).toEqual(['schema:app', 'table:app.t']);
    expect(parsed.map((p) => p.sql)).toEqual([plan.steps[0].sql, plan.steps[1].sql]);
    const lines = (pre?.content ?? '').split('\n');
    expect(lines[parsed[1].line - 1]).toBe('create table "app"."t" (');
  });

  it('lists downs newest first', () => {
    const down = files.find((f) => f.path.includes('pre_data.down'))?.content ?? '';
    expect(down.indexOf('drop table')).toBeLessThan(down.indexOf('drop schema'));
  });

  it('records checksums and files in the manifest', () => {
    const m = manifestOf(plan, layout);
    expect(m.steps[2]).toEqual({
      id: 'index:app.t_id',
      phase: 'post-data',
      kind: 'index',
      checksum: plan.steps[2].checksum,
      file: 'supabase/migrations/20000101000300_app_post_data.sql',
      down: 'drop index "app"."t_id";\n',
    });
  });

  it('renders the same bytes twice', () => {
    expect(renderPlan(plan, layout)).toEqual(files);
  });
});
