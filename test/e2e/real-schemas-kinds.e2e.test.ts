import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeProject } from '../../src/commands/analyze';
import { initProject } from '../../src/commands/init';
import { planProject, type PlanResult } from '../../src/commands/plan';
import { snapshotFromJson } from '../../src/introspect';
import { PLATFORM_SCHEMAS } from '../../src/introspect/schemas';
import type { Snapshot } from '../../src/introspect/snapshot';
import { loadSpec } from '../../src/spec';
import type { Spec } from '../../src/spec/types';
import { account, catalogObjects, type CatalogObject } from '../helpers/catalog-objects';
import { describeEach, freshDatabase, type FreshDatabase, withDb } from '../helpers/databases';
import { loadRealSchema } from '../helpers/real-schemas';
import { ROOT } from '../helpers/sources';
import { keepEmbeddingArrays } from '../helpers/spec';

/**
 * On each schema nobody on this project wrote (../shared/fixtures/real-schemas), every object of
 * the source's catalog, counted per kind straight from pg_catalog (test/helpers/catalog-objects.ts),
 * is either planned (a step of its own, or inside its table's or domain's step) or reported as
 * not carried, with its reason, by `analyze` and in the spec init wrote (`schema.skip_objects`).
 * An object that is neither fails the test, by name; so does a step of a source kind that the
 * catalog does not hold (an object planned twice, or made up).
 *
 * Tables are relkind r and p: a partitioned table and each of its partitions are tables with a
 * step each. postgrest has 148 plain tables, 8 partitions and 4 partitioned tables: 160 table
 * steps for 160 tables, nothing planned twice. A count of 156 leaves the 4 partitioned tables
 * out: counting relkind r alone does, and so does leaving out relations with an internal
 * (deptype i) dependency to drop identity sequences, since a partitioned table has one on its
 * own partition key columns.
 */
const ALL = [
  'apflora', 'basejump', 'codetriage', 'danbooru', 'dbdev', 'makerkit', 'postgrest', 'sanbase', 'subpay', 'synapse',
  'temporal',
];
/**
 * Two fixtures of this project too, for the kinds none of the real schemas has: every-kind.sql
 * (casts, operators, wrappers, servers, publications, event triggers) and kinds-extra.sql
 * (collations, text search, ranges, operator classes, partitions, table and column options).
 */
const OWN: Record<string, string> = { every_kind: 'every-kind.sql', kinds_extra: 'kinds-extra.sql' };
const names = process.env.REAL_SCHEMAS ? process.env.REAL_SCHEMAS.split(',') : [...ALL, ...Object.keys(OWN)];
const server = process.env.TEST_DATABASE_URL;

/** The source's application schemas: not Postgres's nor Supabase's, unless the spec renames one (apflora's `auth`). */
async function sourceSchemas(url: string, spec: Spec): Promise<string[]> {
  const r = await withDb(url, (db) =>
    db.query<{ nspname: string }>(`select nspname from pg_namespace
      where nspname not like 'pg\\_%' and nspname <> 'information_schema' order by 1`),
  );
  const renamed = Object.keys(spec.schema.renameSchemas);
  return r.rows.map((x) => x.nspname).filter((s) => !PLATFORM_SCHEMAS.includes(s) || renamed.includes(s));
}

/** The snapshot's objects per kind, under the catalog's names for the kinds. */
function snapshotCounts(s: Snapshot): Record<string, number> {
  const routines = (kind: string) => s.functions.filter((f) => f.kind === kind).length;
  const indexes = [...s.tables, ...s.views].flatMap((t) => t.indexes).filter((i) => i.constraint === null);
  const counts: Record<string, number> = {
    table: s.tables.length,
    view: s.views.filter((v) => !v.materialized).length,
    'materialized view': s.views.filter((v) => v.materialized).length,
    sequence: s.sequences.length,
    enum: s.enums.length,
    domain: s.domains.length,
    composite: s.composites.length,
    range: s.ranges?.length ?? 0,
    function: routines('f'),
    procedure: routines('p'),
    aggregate: routines('a'),
    trigger: s.triggers.length + (s.supabaseTriggers?.length ?? 0),
    policy: s.policies.length + (s.storagePolicies?.length ?? 0),
    index: indexes.length,
    rule: s.rules?.length ?? 0,
    statistics: s.statistics?.length ?? 0,
    collation: s.collations?.length ?? 0,
    operator: s.operators?.length ?? 0,
    cast: s.casts?.length ?? 0,
    'foreign table': s.foreignTables?.length ?? 0,
    server: s.foreignServers?.length ?? 0,
  };
  return counts;
}

describeEach(server ? names : [], 'every catalog object of real schema %s is planned or reported', (name) => {
  let source: FreshDatabase;
  let dir: string;
  let spec: Spec;
  let planned: PlanResult;
  let objects: CatalogObject[];

  beforeAll(async () => {
    source = await freshDatabase('server', 'rsk_src');
    const own = OWN[name];
    if (own) await withDb(source.url, (db) => db.exec(readFileSync(join(ROOT, 'test/fixtures', own), 'utf8')));
    else loadRealSchema(name, source.url);
    dir = mkdtempSync(join(tmpdir(), `sm-real-kinds-${name}-`));
    await initProject({ source: source.url, dir, name });
    // The local server has no pgvector (a Supabase project has): the spec's own switch.
    keepEmbeddingArrays(join(dir, 'migration.yaml'));
    spec = loadSpec(join(dir, 'migration.yaml'), { SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: 'pglite://memory/unused' });
    planned = planProject(spec);
    objects = await catalogObjects(source.url, await sourceSchemas(source.url, spec));
  }, 600_000);
  afterAll(async () => {
    await source?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('analyze lists what is not planned, each with a reason, as the spec skips it', () => {
    const notCarried = analyzeProject(spec).notCarried;
    for (const u of notCarried) expect(u.reason).toMatch(/\S/);
    expect(notCarried.map((u) => u.object)).toEqual(planned.skipped.map((u) => u.object));
    expect([...(spec.schema.skipObjects ?? [])].sort()).toEqual(notCarried.map((u) => u.object).sort());
  });

  it("has in its snapshot the catalog's count of each kind", () => {
    const snapshot = snapshotFromJson(readFileSync(join(dir, '.supamigrate/snapshot.json'), 'utf8'));
    const counted = snapshotCounts(snapshot);
    const catalog = Object.fromEntries(Object.keys(counted).map((k) => [k, objects.filter((o) => o.kind === k).length]));
    expect(counted).toEqual(catalog);
  });

  it('plans or reports every object of the catalog, per kind, and plans nothing the catalog lacks', () => {
    const steps = planned.plan.steps.map((s) => ({ id: s.id, sql: s.sql }));
    const renames = spec.schema.renameSchemas;
    const result = account(objects, {
      steps,
      skipped: planned.skipped.map((u) => u.object),
      schema: (s) => renames[s] ?? s,
    });
    expect(result.missing).toEqual([]);
    expect(result.beyond).toEqual([]);
    for (const [kind, c] of Object.entries(result.counts)) expect({ kind, total: c.planned + c.skipped }).toEqual({ kind, total: c.catalog });
    // The per-kind counts, for the record (the run's output shows them).
    const line = Object.entries(result.counts)
      .map(([k, c]) => `${k} ${c.catalog}${c.skipped ? ` (${c.skipped} skipped)` : ''}`)
      .join(', ');
    process.stdout.write(`${name}: ${line}\n`);
  });
});

if (!server) {
  it('needs TEST_DATABASE_URL: load.sh talks to a server', () => {
    expect(server).toBeUndefined();
  });
}
