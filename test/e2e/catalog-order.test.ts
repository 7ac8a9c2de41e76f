import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initProject } from '../../src/commands/init';
import { planProject } from '../../src/commands/plan';
import { applyProject } from '../../src/commands/apply';
import { bootstrapTarget } from '../../src/commands/bootstrap';
import { validateProject } from '../../src/commands/validate';
import { closeNamedPglite } from '../../src/db';
import { loadSpec } from '../../src/spec';
import { freshDatabase, type FreshDatabase, TARGETS, withDb } from '../helpers/databases';
import { applicationSchemas, compareDumps, dumpSchemas, normaliseDump } from '../helpers/schema-dump';
import { ROOT } from '../helpers/sources';
import { readFileSync } from 'node:fs';

/**
 * Pre-data comes in the order of the source catalog's own dependencies: a domain over a
 * composite whose check calls a function, a default calling a function, an aggregate used by
 * a view, views calling SQL functions, a materialized view over them all apply, on PGlite and
 * on the server; on the server, with collations, text search objects and table options too,
 * pg_dump of both sides is the same.
 */
const SQL = readFileSync(join(ROOT, 'test/fixtures/catalog-order.sql'), 'utf8');
const SERVER_SQL = readFileSync(join(ROOT, 'test/fixtures/catalog-kinds.sql'), 'utf8');

describe.each(TARGETS)('catalog dependency order on %s', (kind) => {
  let source: FreshDatabase;
  let target: FreshDatabase;
  let dir: string;
  const spec = () => loadSpec(join(dir, 'migration.yaml'), { SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: target.ownerUrl });

  beforeAll(async () => {
    source = await freshDatabase(kind, 'ordsrc');
    target = await freshDatabase(kind, 'ordtgt');
    await withDb(source.url, (db) => db.exec(kind === 'server' ? `${SQL}\n${SERVER_SQL}` : SQL));
    dir = mkdtempSync(join(tmpdir(), 'sm-order-'));
  });
  afterAll(async () => {
    await source.drop();
    await target.drop();
    await closeNamedPglite();
    rmSync(dir, { recursive: true, force: true });
  });

  it('plans each object after what it depends on and applies', async () => {
    await initProject({ source: source.url, dir, name: 'order' });
    planProject(spec());
    await bootstrapTarget(target.url);
    const applied = await applyProject(spec());
    expect(applied.error).toBeNull();
    const v = await validateProject(spec(), { schema: true });
    expect(v.schema?.differences).toEqual([]);
  });

  if (kind === 'server') {
    it('pg_dump of the target equals the source', async () => {
      const schemas = await applicationSchemas(source.url);
      expect(schemas).toEqual(['public', 'shop']);
      const dump = (url: string) => normaliseDump(dumpSchemas(url, schemas));
      expect(compareDumps(dump(source.url), dump(target.url))).toEqual({ onlySource: [], onlyTarget: [] });
    });
  }
});
