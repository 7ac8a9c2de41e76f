import { closeNamedPglite, withDb } from '../../src/db';
import { TARGETS } from '../helpers/databases';
import { applyExample, type AppliedExample } from './security-helpers';

describe.each(TARGETS)('security plan of the example on %s', (kind) => {
  let ex: AppliedExample;
  beforeAll(async () => {
    ex = await applyExample(kind);
  });
  afterAll(async () => {
    await ex?.drop();
    await closeNamedPglite();
  });

  it('turns RLS on for every public table', async () => {
    const rows = await withDb(ex.target.url, (db) => db.query<{ name: string; rls: boolean }>(`select c.relname as name, c.relrowsecurity as rls from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') order by 1`));
    expect(rows.rows.length).toBeGreaterThan(20);
    expect(rows.rows.filter((r) => !r.rls)).toEqual([]);
  });
});
