import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initProject } from '../../src/commands/init';
import { planProject } from '../../src/commands/plan';
import { applyProject } from '../../src/commands/apply';
import { bootstrapTarget } from '../../src/commands/bootstrap';
import { closeNamedPglite } from '../../src/db';
import { snapshotFromJson } from '../../src/introspect';
import { typesSchemas } from '../../src/plan/types/index';
import { loadSpec } from '../../src/spec';
import { freshDatabase, type FreshDatabase, TARGETS } from '../helpers/databases';
import { keepEmbeddingArrays } from '../helpers/spec';
import { loadSource } from '../helpers/sources';
import { lineDifferences, postgresMetaTypes, servePglite } from '../plan/types/reference';

const cases = TARGETS.flatMap((kind) => (['toolboxai', 'chinook', 'exotic'] as const).map((source) => [source, kind] as const));

describe.each(cases)('database.types.ts of %s on %s', (sourceName, kind) => {
  let source: FreshDatabase;
  let target: FreshDatabase;
  let dir: string;
  const spec = () => loadSpec(join(dir, 'migration.yaml'), { SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: target.ownerUrl });

  beforeAll(async () => {
    source = await freshDatabase(kind, 'tysrc');
    target = await freshDatabase(kind, 'tytgt');
    await loadSource(source.url, sourceName);
    dir = mkdtempSync(join(tmpdir(), 'sm-types-'));
    await initProject({ source: source.url, dir, name: sourceName });
    if (kind === 'server') keepEmbeddingArrays(join(dir, 'migration.yaml'));
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

  it('is, byte for byte, what postgres-meta prints for the applied target', async () => {
    const planned = readFileSync(join(dir, 'supabase/types/database.types.ts'), 'utf8');
    const snapshot = snapshotFromJson(readFileSync(join(dir, '.supamigrate/snapshot.json'), 'utf8'));
    const schemas = typesSchemas(snapshot, spec());
    const served = kind === 'pglite' ? await servePglite(target.url) : null;
    try {
      const printed = await postgresMetaTypes(served ? served.url : target.url, schemas);
      expect(lineDifferences(printed, planned)).toEqual([]);
      expect(planned).toBe(printed);
      // The comparison covers real content: every migrated table is in the file.
      expect(planned.split('\n').length).toBeGreaterThan(100);
      for (const t of snapshot.tables) expect(planned).toContain(t.name);
    } finally {
      await served?.stop();
    }
  });
});
