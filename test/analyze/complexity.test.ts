import { analyze } from '../../src/analyze';
import { tierOf } from '../../src/analyze/complexity';
import type { Snapshot } from '../../src/introspect/snapshot';
import { column, fk, id, routine, snapshot, table, trigger } from './builder';

/** n tables in the given schemas, each child referencing the previous table; optional tenant and embeddings. */
function estate(n: number, opts: { schemas?: string[]; tenant?: boolean; embeddings?: number; functions?: number } = {}): Snapshot {
  const schemas = opts.schemas ?? ['public'];
  const tables = Array.from({ length: n }, (_, i) => {
    const name = `${schemas[i % schemas.length]}.t${String(i).padStart(3, '0')}`;
    const cols = [id(), column('parent_id', 'int8'), ...(opts.tenant && i > 0 ? [column('tenant_id', 'int8')] : [])];
    if (i < (opts.embeddings ?? 0)) cols.push(column('embedding', 'vector', { typeSchema: 'extensions' }));
    const fks = i === 0 ? [] : [
      fk(`t${i}_parent`, 'parent_id', `${schemas[(i - 1) % schemas.length]}.t${String(i - 1).padStart(3, '0')}`),
      ...(opts.tenant ? [fk(`t${i}_tenant`, 'tenant_id', `${schemas[0]}.t000`)] : []),
    ];
    return table(name, cols, { fks });
  });
  const functions = Array.from({ length: opts.functions ?? 0 }, (_, i) => routine(`${schemas[0]}.f${i}`));
  return snapshot({ tables, functions, triggers: [trigger(`${schemas[0]}.t001`, 'touch', 'x')] });
}

describe('complexity', () => {
  it('places the three reference scenarios in their tiers', () => {
    expect(analyze(estate(12, { functions: 3 })).complexity.tier).toBe('simple');
    expect(analyze(estate(20, { functions: 8 })).complexity.tier).toBe('simple');
    expect(analyze(estate(35, { tenant: true, embeddings: 2, functions: 5 })).complexity.tier).toBe('platform');
    expect(analyze(estate(50, { tenant: true, embeddings: 3, functions: 20 })).complexity.tier).toBe('platform');
    expect(analyze(estate(120, { schemas: ['billing', 'core', 'public', 'reporting'], functions: 60 })).complexity.tier).toBe('enterprise');
  });

  it('shows every input with its points, and the score is their sum', () => {
    const c = analyze(estate(35, { tenant: true, embeddings: 2, functions: 5 })).complexity;
    expect(c.inputs.map((i) => [i.name, i.value, i.points])).toEqual([
      ['tables', 35, 35], ['extra schemas', 0, 0], ['functions and procedures', 5, 5], ['triggers', 1, 0.5],
      ['foreign keys', 68, 17], ['foreign key cycles', 0, 0], ['tenant pattern', 1, 15], ['embedding columns', 2, 10],
      ['partitioned tables', 0, 0], ['custom types', 0, 0], ['data size (GiB)', 0, 0],
    ]);
    expect(c.score).toBe(82.5);
  });

  it('cuts tiers at 50 and 150', () => {
    expect([49.99, 50, 149.99, 150].map(tierOf)).toEqual(['simple', 'platform', 'platform', 'enterprise']);
  });
});
