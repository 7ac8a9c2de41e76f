import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initProject } from '../../src/commands/init';
import { planProject } from '../../src/commands/plan';
import { applyProject } from '../../src/commands/apply';
import { bootstrapTarget } from '../../src/commands/bootstrap';
import { loadSpec } from '../../src/spec';
import { freshDatabase, type FreshDatabase, withDb } from '../helpers/databases';
import { applicationSchemas, compareDumps, normaliseDump, policiesOf, policiesOfSourceTables } from '../helpers/schema-dump';
import { keepEmbeddingArrays } from '../helpers/spec';
import { authUsersKeys, policyIndexes, skippedBlock, withoutSupabasePublicComment } from '../helpers/round-trip';
import { reprintViews, underSourceNames } from '../helpers/dump-normalise';
import { dumpPgliteSchemas, loadRealSchemaIntoPglite } from '../helpers/pglite-dump';
import { REAL_SCHEMAS_DIR } from '../helpers/real-schemas';
import { ROOT } from '../helpers/sources';
import { dbPushIntoPglite } from '../helpers/supabase-cli';

/**
 * real-schemas.e2e.test.ts's round trip with PGlite on both sides (the embedded default,
 * `pglite://` URLs): each real schema is loaded into a PGlite source by the fixtures' own
 * load.sh (psql over PGlite's wire protocol), then init (spec unchanged), plan, bootstrap of a
 * PGlite target, apply; then `pg_dump --schema-only` of both sides (pglite-tools' pg_dump 18)
 * must compare equal under the server round trip's allowed differences, and every table keeps
 * exactly its policies. Then `supabase db push` of the same files, over PGlite's wire protocol
 * (pglite-socket), into a second bootstrapped PGlite target must give the same dump.
 * postgrest needs one edit to load on Postgres 18 (POSTGRES_18_EDITS in pglite-dump.ts).
 *
 * REAL_SCHEMAS=a,b,c runs other fixtures.
 */
const ON_PGLITE = ['apflora', 'basejump', 'codetriage', 'dbdev', 'makerkit', 'postgrest', 'sanbase', 'subpay', 'synapse', 'temporal'];
/** Fixtures that need an extension PGlite 0.5 does not ship, with that extension. */
const NOT_ON_PGLITE: Record<string, string> = { danbooru: 'pgstattuple' };
const names = process.env.REAL_SCHEMAS ? process.env.REAL_SCHEMAS.split(',') : ON_PGLITE;
/** load.sh runs the Supabase migration sets with this search_path, as on Supabase. */
const SUPABASE_SETS = new Set(['basejump', 'subpay', 'makerkit', 'dbdev']);

describe.each(names)('real schema %s round-trips on PGlite', (name) => {
  let source: FreshDatabase;
  const targets: FreshDatabase[] = [];
  let dir: string;
  let schemas: string[];
  const spec = (url: string) => loadSpec(join(dir, 'migration.yaml'), { SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: url });
  let skipped: RegExp[] = [];
  let renames: Record<string, string> = {};
  const targetSchemas = () => schemas.map((s) => renames[s] ?? s);
  const normalise = (dump: string) =>
    normaliseDump(dump, { addedIndexes: policyIndexes(dir), addedKeys: authUsersKeys(dir), skipped });

  beforeAll(async () => {
    source = await freshDatabase('pglite', 'rsp_src');
    await loadRealSchemaIntoPglite(name, source.url, SUPABASE_SETS.has(name) ? '"$user", public, extensions' : null);
    schemas = await applicationSchemas(source.url);
    dir = mkdtempSync(join(tmpdir(), `sm-real-pglite-${name}-`));
  });
  afterAll(async () => {
    for (const t of targets) await t.drop();
    await source?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('init and plan, with the spec init wrote', async () => {
    await initProject({ source: source.url, dir, name });
    // The same switch as on the server: embeddings stay arrays (the vector conversion is a change on purpose).
    keepEmbeddingArrays(join(dir, 'migration.yaml'));
    const plan = planProject(spec('pglite://memory/unused'));
    expect(plan.changed.length).toBeGreaterThan(0);
    skipped = plan.skipped.map((u) => skippedBlock(u.object));
    renames = spec('pglite://memory/unused').schema.renameSchemas;
    schemas = [...new Set([...schemas, ...Object.keys(renames)])].sort();
    await reprintViews(source.url, schemas);
  });

  /** The target's dump equals the source's under the allowed differences, and every table keeps its policies. */
  async function expectSourceSchema(targetUrl: string): Promise<void> {
    const sourceDump = normalise(await dumpPgliteSchemas(source.url, schemas));
    const targetDump = normalise(underSourceNames(await dumpPgliteSchemas(targetUrl, targetSchemas()), renames));
    expect(sourceDump.length).toBeGreaterThan(0);
    expect(compareDumps(sourceDump, withoutSupabasePublicComment(sourceDump, targetDump))).toEqual({ onlySource: [], onlyTarget: [] });
    const sourcePolicies = await policiesOf(source.url, schemas);
    const targetPolicies = (await policiesOf(targetUrl, targetSchemas())).map((p) => ({ ...p, table: underSourceNames(p.table, renames) }));
    expect(policiesOfSourceTables(sourcePolicies, targetPolicies)).toEqual(sourcePolicies);
  }

  it('apply to a bootstrapped PGlite target gives the source schema back', async () => {
    const target = await freshDatabase('pglite', 'rsp_tgt');
    targets.push(target);
    await bootstrapTarget(target.url);
    const applied = await applyProject(spec(target.url));
    expect(applied.error).toBeNull();
    await expectSourceSchema(target.url);
  });

  it('`supabase db push` of the same files into a PGlite target gives the same schema', async () => {
    const target = await freshDatabase('pglite', 'rsp_push');
    targets.push(target);
    await bootstrapTarget(target.url);
    expect(await dbPushIntoPglite(target.url, dir)).toContain('Finished supabase db push');
    await expectSourceSchema(target.url);
  });
});

it.each(Object.entries(NOT_ON_PGLITE))('%s stays on the server: PGlite ships no %s', (name, extension) => {
  const sql = readFileSync(join(REAL_SCHEMAS_DIR, name, 'db/structure.sql'), 'utf8');
  expect(sql).toMatch(new RegExp(`^CREATE EXTENSION IF NOT EXISTS ${extension} `, 'm'));
  expect(existsSync(join(ROOT, `node_modules/@electric-sql/pglite/dist/${extension}.tar.gz`))).toBe(false);
  expect(existsSync(join(ROOT, 'node_modules/@electric-sql/pglite/dist/pg_trgm.tar.gz'))).toBe(true);
});

it("postgrest loads with one edit for Postgres 18 (see pglite-dump.ts): its bare `json` parameter name does not parse", async () => {
  const db = await freshDatabase('pglite', 'rsp_json');
  try {
    const fn = (param: string) => `create function f(${param} json default '{}') returns int language sql as 'select 1'`;
    await expect(withDb(db.url, (d) => d.exec(fn('json')))).rejects.toThrow(/syntax error at or near "json"/);
    await withDb(db.url, (d) => d.exec(fn('"json"')));
  } finally {
    await db.drop();
  }
});
