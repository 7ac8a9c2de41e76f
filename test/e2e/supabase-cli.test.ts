import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { initProject } from '../../src/commands/init';
import { planProject } from '../../src/commands/plan';
import { applyProject } from '../../src/commands/apply';
import { bootstrapTarget } from '../../src/commands/bootstrap';
import { validateProject } from '../../src/commands/validate';
import { loadSpec } from '../../src/spec';
import { describeEach, freshDatabase, type FreshDatabase } from '../helpers/databases';
import { loadSource } from '../helpers/sources';
import { dbPush } from '../helpers/supabase-cli';

/**
 * The generated migrations are plain Supabase migrations: Supabase's own CLI pushes them as the
 * non-superuser owner, and after a supamigrate apply it finds nothing left to push.
 */
const server = process.env.TEST_DATABASE_URL;


describeEach(server ? ['server'] : [], 'Supabase CLI on the %s', (kind) => {
  let source: FreshDatabase;
  let dir: string;
  const spec = (target: string) => loadSpec(join(dir, 'migration.yaml'), { SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: target });

  beforeAll(async () => {
    source = await freshDatabase(kind as 'server', 'clisrc');
    await loadSource(source.url, 'toolboxai');
    dir = mkdtempSync(join(tmpdir(), 'sm-cli-push-'));
    await initProject({ source: source.url, dir, name: 'toolboxai' });
    // The local server has no pgvector: the spec turns the proposed vector conversion off.
    const file = join(dir, 'migration.yaml');
    const doc = parseDocument(readFileSync(file, 'utf8'));
    doc.setIn(['options', 'enable_vector_migration'], false);
    writeFileSync(file, doc.toString());
    planProject(spec('pglite://memory/unused'));
  });
  afterAll(() => source.drop());

  it('`supabase db push` applies the generated migrations and the schema matches the source', async () => {
    const target = await freshDatabase(kind as 'server', 'clipush');
    try {
      await bootstrapTarget(target.url);
      const r = dbPush(target.ownerUrl, dir, 120_000);
      expect(r.stderr + r.stdout).toContain('Finished supabase db push');
      expect(r.status).toBe(0);
      const v = await validateProject(spec(target.ownerUrl), { schema: true });
      expect(v.schema?.differences).toEqual([]);
    } finally {
      await target.drop();
    }
  });

  it('after `supamigrate apply`, `supabase db push` finds the migrations already applied', async () => {
    const target = await freshDatabase(kind as 'server', 'cliafter');
    try {
      await bootstrapTarget(target.url);
      expect((await applyProject(spec(target.ownerUrl))).ok).toBe(true);
      const r = dbPush(target.ownerUrl, dir, 120_000);
      expect(r.status).toBe(0);
      expect(r.stderr + r.stdout).toMatch(/Remote database is up to date/);
    } finally {
      await target.drop();
    }
  });
});

if (!server) {
  it('needs TEST_DATABASE_URL: the Supabase CLI talks to a server over the network', () => {
    expect(server).toBeUndefined();
  });
}
