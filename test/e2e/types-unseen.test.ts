import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initProject } from '../../src/commands/init';
import { planProject } from '../../src/commands/plan';
import { applyProject } from '../../src/commands/apply';
import { bootstrapTarget } from '../../src/commands/bootstrap';
import { closeNamedPglite, withDb } from '../../src/db';
import { snapshotFromJson } from '../../src/introspect';
import { planTypes, typesSchemas } from '../../src/plan/types/index';
import { loadSpec } from '../../src/spec';
import { freshDatabase, type FreshDatabase, TARGETS } from '../helpers/databases';
import { ROOT } from '../helpers/sources';
import { lineDifferences, postgresMetaTypes, servePglite } from '../plan/types/reference';
import { keepEmbeddingArrays } from '../helpers/spec';

const FIXTURE = readFileSync(join(ROOT, 'test/fixtures/types-unseen.sql'), 'utf8');

// A source the generator was not written against (partitions, domains, enums in two schemas,
// nested composites, views over joins, set-returning / overloaded / variadic functions, arrays
// of every kind, odd identifiers), migrated for real: the planned file must be the one
// postgres-meta prints for the applied target.
describe.each(TARGETS)('database.types.ts of the unseen fixture on %s', (kind) => {
  let source: FreshDatabase;
  let target: FreshDatabase;
  let dir: string;
  const spec = () => loadSpec(join(dir, 'migration.yaml'), { SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: target.ownerUrl });

  beforeAll(async () => {
    source = await freshDatabase(kind, 'tyunsrc');
    target = await freshDatabase(kind, 'tyuntgt');
    await withDb(source.url, (d) => d.exec(FIXTURE));
    dir = mkdtempSync(join(tmpdir(), 'sm-types-unseen-'));
    await initProject({ source: source.url, dir, name: 'unseen' });
    keepEmbeddingArrays(join(dir, 'migration.yaml'));
    planProject(spec());
    await bootstrapTarget(target.url);
    const applied = await applyProject(spec());
    expect(applied.error).toBeNull();
    // A whole migration with data; on a shared, busy machine it can outlast the default.
  }, 600_000);
  afterAll(async () => {
    await source.drop();
    await target.drop();
    await closeNamedPglite();
  });

  /** postgres-meta's file for these schemas of the applied target. */
  async function printed(schemas: string[]): Promise<string> {
    const served = kind === 'pglite' ? await servePglite(target.url) : null;
    try {
      return await postgresMetaTypes(served ? served.url : target.url, schemas);
    } finally {
      await served?.stop();
    }
  }

  it('is, byte for byte, what postgres-meta prints for the applied target', async () => {
    const planned = readFileSync(join(dir, 'supabase/types/database.types.ts'), 'utf8');
    const snapshot = snapshotFromJson(readFileSync(join(dir, '.supamigrate/snapshot.json'), 'utf8'));
    const schemas = typesSchemas(snapshot, spec());
    expect(schemas).toEqual(['inventory', 'public']);
    const expected = await printed(schemas);
    if (process.env.TYPES_DUMP) {
      writeFileSync(join(process.env.TYPES_DUMP, `${kind}.printed.ts`), expected);
      writeFileSync(join(process.env.TYPES_DUMP, `${kind}.planned.ts`), planned);
    }
    expect(lineDifferences(expected, planned)).toEqual([]);
    expect(planned).toBe(expected);
    for (const t of snapshot.tables) expect(planned).toContain(t.name);
    // Planning again from the same snapshot gives the same bytes.
    expect(planTypes(snapshot, spec()).content).toBe(planned);
  });

  // As `supabase gen types --schema public`: relationships through the unlisted schema's tables
  // and views disappear, its enums are inlined, its composites and rows become unknown.
  it.each([[['public']]])('matches postgres-meta for types.schemas %j', async (schemas) => {
    const snapshot = snapshotFromJson(readFileSync(join(dir, '.supamigrate/snapshot.json'), 'utf8'));
    const planned = planTypes(snapshot, { ...spec(), types: { schemas } }).content;
    const expected = await printed(schemas);
    expect(lineDifferences(expected, planned)).toEqual([]);
    expect(planned).toBe(expected);
  });
});
