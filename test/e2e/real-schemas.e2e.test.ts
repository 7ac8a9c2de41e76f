import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initProject } from '../../src/commands/init';
import { planProject } from '../../src/commands/plan';
import { applyProject } from '../../src/commands/apply';
import { bootstrapTarget } from '../../src/commands/bootstrap';
import { loadSpec } from '../../src/spec';
import { describeEach, freshDatabase, type FreshDatabase } from '../helpers/databases';
import { withDb } from '../../src/db';
import { applicationSchemas, compareDumps, dumpSchemas, normaliseDump, policiesOf, policiesOfSourceTables } from '../helpers/schema-dump';
import { ROOT } from '../helpers/sources';
import { keepEmbeddingArrays } from '../helpers/spec';
import { authUsersKeys, policyIndexes, skippedBlock, withoutSupabasePublicComment } from '../helpers/round-trip';
import { reprintViews, underSourceNames } from '../helpers/dump-normalise';
import { dbPush } from '../helpers/supabase-cli';

/**
 * Schemas that nobody on this project wrote (../shared/fixtures/real-schemas) go through
 * init (spec unchanged), plan, bootstrap and apply; then `pg_dump --schema-only` of the
 * source's schemas must equal the target's, up to what the migration changes on purpose
 * (see test/helpers/schema-dump.ts), and every table keeps exactly its policies.
 * `supabase db push` of the same files into a second bootstrapped target must give the same dump.
 *
 * REAL_SCHEMAS=a,b,c runs other fixtures (to measure one that does not round-trip yet).
 */
const ROUND_TRIP_CLEAN = [
  'apflora', 'basejump', 'codetriage', 'danbooru', 'dbdev', 'makerkit', 'postgrest', 'sanbase', 'subpay', 'synapse',
  'temporal',
];
const names = process.env.REAL_SCHEMAS ? process.env.REAL_SCHEMAS.split(',') : ROUND_TRIP_CLEAN;

const FIXTURES = join(ROOT, '../shared/fixtures/real-schemas');
const server = process.env.TEST_DATABASE_URL;

function load(name: string, url: string): void {
  const r = spawnSync(join(FIXTURES, 'load.sh'), [name, url], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`load.sh ${name} failed: ${r.stderr}`);
}

/**
 * On Supabase the `postgres` role may create the extensions of the platform's allow-list, untrusted
 * ones included (supautils). Plain Postgres lets only a superuser create those, so the admin
 * creates the source's untrusted extensions first, where Supabase puts them; the plan's step then
 * finds each one present, as it would on Supabase.
 */
async function preinstallUntrusted(source: string, target: string): Promise<void> {
  const untrusted = await withDb(source, (db) =>
    db.query<{ name: string }>(`select e.extname as name from pg_extension e
      join pg_available_extension_versions v on v.name = e.extname and v.version = e.extversion
      where not v.trusted and v.superuser and e.extname <> 'plpgsql' order by 1`),
  );
  await withDb(target, async (db) => {
    for (const { name } of untrusted.rows) await db.exec(`create extension if not exists "${name}" with schema extensions cascade`);
  });
}


describeEach(server ? names : [], 'real schema %s round-trips', (name) => {
  let source: FreshDatabase;
  let dir: string;
  let schemas: string[];
  const targets: FreshDatabase[] = [];
  const spec = (target: string) => loadSpec(join(dir, 'migration.yaml'), { SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: target });
  let skipped: RegExp[] = [];
  // Schemas the spec renames (a source schema named like one Supabase reserves): compared under the source name.
  let renames: Record<string, string> = {};
  const targetSchemas = () => schemas.map((s) => renames[s] ?? s);
  const normalise = (dump: string) =>
    normaliseDump(dump, { addedIndexes: policyIndexes(dir), addedKeys: authUsersKeys(dir), skipped });
  const sourceDump = () => normalise(dumpSchemas(source.url, schemas));
  const targetDump = (url: string) =>
    withoutSupabasePublicComment(sourceDump(), normalise(underSourceNames(dumpSchemas(url, targetSchemas()), renames)));

  beforeAll(async () => {
    source = await freshDatabase('server', 'rs_src');
    load(name, source.url);
    schemas = await applicationSchemas(source.url);
    dir = mkdtempSync(join(tmpdir(), `sm-real-${name}-`));
  });
  afterAll(async () => {
    for (const t of targets) await t.drop();
    await source?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('init and plan, with the spec init wrote', async () => {
    await initProject({ source: source.url, dir, name });
    // The local server has no pgvector (a Supabase project has): the only edit, the spec's own switch.
    keepEmbeddingArrays(join(dir, 'migration.yaml'));
    const plan = planProject(spec('pglite://memory/unused'));
    expect(plan.changed.length).toBeGreaterThan(0);
    skipped = plan.skipped.map((u) => skippedBlock(u.object));
    renames = spec('pglite://memory/unused').schema.renameSchemas;
    schemas = [...new Set([...schemas, ...Object.keys(renames)])].sort();
    // After init read it: the source's views as Postgres re-creates them from their printed text.
    await reprintViews(source.url, schemas);
  });

  it('apply to a bootstrapped target gives the source schema back', async () => {
    const target = await freshDatabase('server', 'rs_tgt');
    targets.push(target);
    await bootstrapTarget(target.url);
    await preinstallUntrusted(source.url, target.url);
    const applied = await applyProject(spec(target.ownerUrl));
    expect(applied.error).toBeNull();
    expect(compareDumps(sourceDump(), targetDump(target.url))).toEqual({ onlySource: [], onlyTarget: [] });
    const sourcePolicies = await policiesOf(source.url, schemas);
    const targetPolicies = (await policiesOf(target.url, targetSchemas())).map((p) => ({
      ...p,
      table: underSourceNames(p.table, renames),
    }));
    expect(policiesOfSourceTables(sourcePolicies, targetPolicies)).toEqual(sourcePolicies);
  });

  it('`supabase db push` of the same files gives the same schema', async () => {
    const target = await freshDatabase('server', 'rs_push');
    targets.push(target);
    await bootstrapTarget(target.url);
    await preinstallUntrusted(source.url, target.url);
    const r = dbPush(target.ownerUrl, dir);
    expect(r.stderr + r.stdout).toContain('Finished supabase db push');
    expect(compareDumps(sourceDump(), targetDump(target.url))).toEqual({ onlySource: [], onlyTarget: [] });
  });
});

if (!server) {
  it('needs TEST_DATABASE_URL: pg_dump and load.sh talk to a server', () => {
    expect(server).toBeUndefined();
  });
}
