import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initProject } from '../../src/commands/init';
import { planProject } from '../../src/commands/plan';
import { applyProject } from '../../src/commands/apply';
import { bootstrapTarget } from '../../src/commands/bootstrap';
import { snapshotFromJson } from '../../src/introspect';
import { typesSchemas } from '../../src/plan/types/index';
import { loadSpec } from '../../src/spec';
import { describeEach, freshDatabase, type FreshDatabase } from '../helpers/databases';
import { loadRealSchema, preinstallUntrustedExtensions } from '../helpers/real-schemas';
import { keepEmbeddingArrays } from '../helpers/spec';
import { lineDifferences, postgresMetaTypes } from '../plan/types/reference';

/**
 * On schemas nobody on this project wrote (../shared/fixtures/real-schemas), the database.types.ts
 * that `plan` writes from the snapshot alone must be, byte for byte, what Supabase's generator
 * (postgres-meta) prints for the target after `apply`. REAL_SCHEMAS=a,b runs other fixtures.
 */
const ALL = [
  'apflora', 'basejump', 'codetriage', 'danbooru', 'dbdev', 'makerkit', 'postgrest', 'sanbase', 'subpay', 'synapse',
  'temporal',
];
const names = process.env.REAL_SCHEMAS ? process.env.REAL_SCHEMAS.split(',') : ALL;
const server = process.env.TEST_DATABASE_URL;

describeEach(server ? names : [], 'database.types.ts of real schema %s', (name) => {
  let source: FreshDatabase;
  let target: FreshDatabase;
  let dir: string;
  const spec = () => loadSpec(join(dir, 'migration.yaml'), { SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: target.ownerUrl });

  beforeAll(async () => {
    source = await freshDatabase('server', 'rty_src');
    target = await freshDatabase('server', 'rty_tgt');
    loadRealSchema(name, source.url);
    dir = mkdtempSync(join(tmpdir(), `sm-real-types-${name}-`));
    await initProject({ source: source.url, dir, name });
    // The local server has no pgvector (a Supabase project has): the spec's own switch.
    keepEmbeddingArrays(join(dir, 'migration.yaml'));
    planProject(spec());
    await bootstrapTarget(target.url);
    await preinstallUntrustedExtensions(source.url, target.url);
    const applied = await applyProject(spec());
    expect(applied.error).toBeNull();
  }, 900_000);
  afterAll(async () => {
    await target?.drop();
    await source?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is what postgres-meta prints for the applied target', async () => {
    const planned = readFileSync(join(dir, 'supabase/types/database.types.ts'), 'utf8');
    const snapshot = snapshotFromJson(readFileSync(join(dir, '.supamigrate/snapshot.json'), 'utf8'));
    const printed = await postgresMetaTypes(target.url, typesSchemas(snapshot, spec()));
    expect(lineDifferences(printed, planned)).toEqual([]);
    expect(planned).toBe(printed);
    for (const t of snapshot.tables.filter((x) => x.partitionOf === null)) expect(planned).toContain(t.name);
  }, 300_000);
});

if (!server) {
  it('needs TEST_DATABASE_URL: load.sh and postgres-meta talk to a server', () => {
    expect(server).toBeUndefined();
  });
}
