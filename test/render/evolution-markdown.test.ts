import { evolutionSection } from '../../src/render/evolution-markdown';

const sql = Array.from({ length: 400 }, (_, i) => `alter table public.t add column c${i} int;`).join('\n') + '\n';
const file = { path: 'supabase/migrations/20240101000005_shop_evolve.sql', sql, rewrites: [] };

describe('the evolution file in a pull-request comment', () => {
  it('is shown whole when it fits, with the rewrites it reports', () => {
    const text = evolutionSection(
      { ...file, rewrites: ['public.t: c0 int -> bigint (1,200 rows, 96 kB)'] },
      'main',
      1e6,
    );
    expect(text).toContain('#### Evolution file `supabase/migrations/20240101000005_shop_evolve.sql`');
    expect(text).toContain('already at `main` runs exactly this file');
    expect(text).toContain('- :warning: rewrites a table: public.t: c0 int -> bigint (1,200 rows, 96 kB)');
    expect(text).toContain(`\`\`\`sql\n${sql}\`\`\`\n`);
  });

  it('is cut at a line with a note when it does not fit, and never exceeds its budget', () => {
    for (const budget of [600, 2_000, 9_000]) {
      const text = evolutionSection(file, 'main', budget);
      expect(text.length).toBeLessThanOrEqual(budget);
      expect(text).toMatch(/_Cut after \d+ of 401 lines/);
    }
    expect(evolutionSection(file, 'main', 100)).toBe('');
    const kept = evolutionSection(file, 'main', 9_000).match(/add column c(\d+) int;\n```/);
    expect(Number(kept?.[1])).toBeGreaterThan(100);
  });

  it('is absent without an evolution', () => {
    expect(evolutionSection(null, 'main', 1e6)).toBe('');
  });
});
