import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { closeNamedPglite, withDb } from '../../src/db';
import { introspect } from '../../src/introspect';
import { planTypes } from '../../src/plan/types/index';
import { freshDatabase, type FreshDatabase, TARGETS } from '../helpers/databases';
import { specFor } from '../helpers/spec';
import { lineDifferences, postgresMetaTypes, servePglite } from '../plan/types/reference';

const COVERAGE = readFileSync(join(__dirname, '../plan/types/coverage.sql'), 'utf8');

// The shapes the example and Chinook lack (domains, composites, overloads, computed fields,
// partitions, INSTEAD OF triggers, materialized views, RETURNS TABLE, unnamed arguments), on
// one database: the file planned from its snapshot must be the one postgres-meta prints for it.
describe.each(TARGETS)('database.types.ts of the coverage schema on %s', (kind) => {
  let db: FreshDatabase;
  beforeAll(async () => {
    db = await freshDatabase(kind, 'tycov');
    await withDb(db.url, (d) => d.exec(COVERAGE));
  });
  afterAll(async () => {
    await db.drop();
    await closeNamedPglite();
  });

  it('is byte for byte what postgres-meta prints', async () => {
    const snapshot = await withDb(db.url, (d) => introspect(d));
    const planned = planTypes(snapshot, specFor('/work/app')).content;
    const served = kind === 'pglite' ? await servePglite(db.url) : null;
    try {
      const printed = await postgresMetaTypes(served ? served.url : db.url, ['public']);
      expect(lineDifferences(printed, planned)).toEqual([]);
      expect(planned).toBe(printed);
      expect(planned).toContain('moods_of: Database["public"]["Enums"]["mood"][] | null');
    } finally {
      await served?.stop();
    }
  });
});
