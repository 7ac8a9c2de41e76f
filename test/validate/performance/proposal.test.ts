import { inlineConstants } from '../../../src/validate/performance/proposal';

/** init writes a top statement as a named query: LIMIT/OFFSET become constants, the rest keep a pick. */
describe('inlineConstants', () => {
  const pick = (column: string) => ({ column, pick: 'most_rows' as const });

  it('writes the constants into the text and renumbers the picked parameters from $1', () => {
    const out = inlineConstants('select * from t where a = $2 and b = $4 limit $1 offset $3', [
      { constant: '20' },
      pick('public.t.a'),
      { constant: '0' },
      pick('public.t.b'),
    ]);
    expect(out).toEqual({
      sql: 'select * from t where a = $1 and b = $2 limit 20 offset 0',
      picks: [pick('public.t.a'), pick('public.t.b')],
    });
  });

  it('keeps $10 apart from $1', () => {
    const params = Array.from({ length: 10 }, (_, i) => (i === 0 ? { constant: '5' } : pick(`public.t.c${i}`)));
    const out = inlineConstants('select $1, $10', params);
    expect(out.sql).toBe('select 5, $9');
    expect(out.picks).toHaveLength(9);
  });
});
