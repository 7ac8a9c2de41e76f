import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initProject } from '../../src/commands/init';
import { planProject } from '../../src/commands/plan';
import { applyProject } from '../../src/commands/apply';
import { bootstrapTarget } from '../../src/commands/bootstrap';
import { loadSpec } from '../../src/spec';
import { describeEach, freshDatabase, withDb, type FreshDatabase } from '../helpers/databases';
import { callAll, callableFunctions, type Caller, type CallResult, type FunctionCall } from '../helpers/function-calls';
import { loadRealSchema, preinstallUntrustedExtensions, REAL_SCHEMAS_DIR } from '../helpers/real-schemas';
import { applicationSchemas } from '../helpers/schema-dump';
import { SEED_USERS, seedAuthUsers, seedDatabase } from '../helpers/seed';
import { CHINOOK_SQL, ROOT } from '../helpers/sources';
import { keepEmbeddingArrays } from '../helpers/spec';

/**
 * Issue 14, item 3: pinning search_path must keep what functions mean. Each fixture is seeded,
 * migrated with the spec init writes (unchanged), and every function that can be called with no
 * argument or with arguments sampled from the seeded rows is called on source and target, as the
 * same role, in a transaction rolled back at the end. Same rows, or the same SQLSTATE, is equal.
 * A function whose two calls on the source already differ (now(), random ids) is not compared.
 * On the Supabase sets the functions are called a second time as `authenticated` with a seeded
 * user's JWT claims, as PostgREST calls an RPC: most of them check auth.uid() and fail for the admin.
 */
const SUPABASE_SETS = ['subpay', 'basejump', 'makerkit', 'dbdev'];
const REAL = ['apflora', 'codetriage', 'danbooru', 'postgrest', 'sanbase', 'synapse', 'temporal'];
/** This project's fixtures with functions; every-kind's event triggers and servers need the admin to apply. */
const OWN: Record<string, { file: string; admin: boolean }> = {
  exotic: { file: 'exotic.sql', admin: false },
  types_unseen: { file: 'types-unseen.sql', admin: false },
  every_kind: { file: 'every-kind.sql', admin: true },
  kinds_extra: { file: 'kinds-extra.sql', admin: false },
};
const CLEAN = ['chinook', ...SUPABASE_SETS, ...REAL, ...Object.keys(OWN)];
// FUNCTION_SCHEMAS=a,b runs some of them.
const NAMES = process.env.FUNCTION_SCHEMAS ? process.env.FUNCTION_SCHEMAS.split(',') : CLEAN;
const server = process.env.TEST_DATABASE_URL;
const same = (a: CallResult, b: CallResult) => JSON.stringify(a) === JSON.stringify(b);
/**
 * Differences that are not the search_path pin's, by fixture: dbdev's app.packages.package_name
 * is a STORED generated column over app.to_package_name(), which a later migration redefined
 * ('-' became '@') without recomputing the old rows. The target computes it afresh as it loads
 * (as a pg_dump restore does), so functions returning package_name differ on the old rows.
 * Reported by the test on every run.
 */
const KNOWN: Record<string, string[]> = {
  dbdev: ['popular_packages()', 'search_packages(citext,citext)'],
  // Unpinned, it casts to isn's isbn, which postgrest's fixture puts in `extensions`: off the
  // source's default search_path (42704), on Supabase's (the sample text is no ISBN: 22P02).
  postgrest: ['test.is_valid_isbn(text)'],
};
const USER: Caller = { role: 'authenticated', claims: { sub: SEED_USERS[0], role: 'authenticated', aud: 'authenticated' } };

async function loadSource(name: string, url: string): Promise<void> {
  const native = SUPABASE_SETS.includes(name);
  if (name === 'chinook') execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', CHINOOK_SQL], { stdio: 'ignore' });
  else if (OWN[name]) await withDb(url, (db) => db.exec(readFileSync(join(ROOT, 'test/fixtures', OWN[name].file), 'utf8')));
  else if (native) {
    await bootstrapTarget(url);
    execFileSync('bash', [join(REAL_SCHEMAS_DIR, 'load.sh'), name, url], { stdio: 'ignore', env: { ...process.env, SCAFFOLD: '1' } });
  } else loadRealSchema(name, url);
  if (name === 'chinook') return;
  const schemas = await applicationSchemas(url);
  await withDb(url, async (db) => {
    if (native) await seedAuthUsers(db);
    await seedDatabase(db, schemas);
    // The plan refreshes materialized views once the rows are in: the seeded source does the same.
    const views = await db.query<{ v: string }>(
      `select format('%I.%I', schemaname, matviewname) as v from pg_matviews where schemaname = any($1) order by 1`,
      [schemas],
    );
    for (const { v } of views.rows) await db.exec(`refresh materialized view ${v}`);
  });
}

interface Comparison {
  compared: FunctionCall[];
  unstable: number;
  errors: number;
  differ: { fn: string; source: CallResult; target: CallResult }[];
}

/** Calls every function twice on the source (two transactions, so now() moves) and once on the target. */
async function compareCalls(
  source: string,
  target: string,
  calls: FunctionCall[],
  opts: { caller?: Caller; renames: Record<string, string> },
): Promise<Comparison> {
  const onSource = await withDb(source, (db) => callAll(db, calls, { caller: opts.caller }));
  const again = await withDb(source, (db) => callAll(db, calls, { caller: opts.caller }));
  const onTarget = await withDb(target, (db) => callAll(db, calls, opts));
  const compared = calls.filter((c) => same(onSource.get(c.signature)!, again.get(c.signature)!));
  const differ = compared
    .filter((c) => !same(onSource.get(c.signature)!, onTarget.get(c.signature)!))
    .map((c) => ({ fn: c.signature, source: onSource.get(c.signature)!, target: onTarget.get(c.signature)! }));
  const errors = compared.filter((c) => 'error' in onSource.get(c.signature)!).length;
  return { compared, unstable: calls.length - compared.length, errors, differ };
}

/** How many compared functions are pinned on the target, and how many of those returned rows on the source. */
async function pinnedCount(target: string, result: Comparison, rows: string[]): Promise<{ n: number; ok: number }> {
  const r = await withDb(target, (db) =>
    db.query<{ n: number; ok: number }>(
      `select count(*)::int as n, count(*) filter (where oid::regprocedure::text = any($2))::int as ok from pg_proc
      where oid::regprocedure::text = any($1) and exists (select from unnest(proconfig) c where c like 'search_path=%')`,
      [result.compared.map((c) => c.signature), rows],
    ),
  );
  return r.rows[0];
}

describeEach(server ? NAMES : [], 'functions of %s return the same on source and target', (name) => {
  let source: FreshDatabase;
  let target: FreshDatabase;
  let dir: string;

  beforeAll(async () => {
    source = await freshDatabase('server', 'fn_src');
    target = await freshDatabase('server', 'fn_tgt');
    dir = mkdtempSync(join(tmpdir(), `sm-fn-${name}-`));
  });
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('after init, plan, bootstrap and apply, every callable function gives the same result', async () => {
    await loadSource(name, source.url);
    await initProject({ source: source.url, dir, name });
    keepEmbeddingArrays(join(dir, 'migration.yaml'));
    const applyAs = OWN[name]?.admin ? target.url : target.ownerUrl;
    const spec = loadSpec(join(dir, 'migration.yaml'), { SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: applyAs });
    planProject(spec);
    await bootstrapTarget(target.url);
    // The plan imports the source's auth.users itself (no seeding on the target).
    await preinstallUntrustedExtensions(source.url, target.url);
    const applied = await applyProject(spec);
    expect(applied.error).toBeNull();

    const renames = spec.schema.renameSchemas;
    const schemas = [...new Set([...(await applicationSchemas(source.url)), ...Object.keys(renames)])];
    const { calls, skipped } = await withDb(source.url, (db) => callableFunctions(db, schemas));
    const callers: [string, Caller | undefined][] = [['admin', undefined]];
    if (SUPABASE_SETS.includes(name)) callers.push(['authenticated', USER]);
    const differ: Comparison['differ'] = [];
    for (const [who, caller] of callers) {
      const result = await compareCalls(source.url, target.url, calls, { caller, renames });
      const returned = result.compared.filter((c) => !result.differ.some((d) => d.fn === c.signature));
      const pinned = await pinnedCount(target.url, result, returned.map((c) => c.signature));
      console.log(
        `${name} as ${who}: ${result.compared.length} of ${calls.length + skipped.length} functions compared ` +
          `(${pinned.n} pinned on the target), ${result.errors} fail alike on both sides, ` +
          `${result.unstable} not deterministic, ${skipped.length} not callable (no sample for an argument), ` +
          `${result.differ.length} differ`,
      );
      const known = result.differ.filter((d) => KNOWN[name]?.includes(d.fn)).map((d) => d.fn);
      if (known.length > 0) console.log(`${name} as ${who}: known differences (see KNOWN): ${known.join(', ')}`);
      differ.push(...result.differ.filter((d) => !known.includes(d.fn)).map((d) => ({ ...d, fn: `${who}: ${d.fn}` })));
    }
    expect(differ).toEqual([]);
  }, 900_000);
});

if (!server) {
  it('needs TEST_DATABASE_URL: the fixtures load through psql and load.sh', () => {
    expect(server).toBeUndefined();
  });
}
