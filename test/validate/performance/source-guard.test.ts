import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { introspect } from '../../../src/introspect';
import { securityContext } from '../../../src/plan/security';
import { parseSpec } from '../../../src/spec';
import { toPerformanceSpec } from '../../../src/spec/performance';
import { buildWorkload } from '../../../src/validate/performance';
import { freshDatabase, withDb, type FreshDatabase } from '../../helpers/databases';

/**
 * The source is production: the values validate samples there are read in a read-only
 * transaction with the spec's statement timeout. A source "table" that writes when read, and one
 * that takes seconds, prove both: the write is refused and the slow read is cancelled.
 */
const server = process.env.TEST_DATABASE_URL ? describe : describe.skip;

const SOURCE_SQL = `
create table public.reads (at timestamptz default now());
create function public.log_read() returns int language plpgsql volatile as
  $$ begin insert into public.reads default values; return 1; end $$;
create view public.noisy as select public.log_read() as x;
create function public.slow_value() returns int language sql volatile as $$ select 1 from pg_sleep(3) $$;
create view public.slow as select public.slow_value() as x;
`;

const specFor = (view: string, timeoutMs: number) =>
  parseSpec(
    `version: 1
name: guard
source: { url: "\${SOURCE_DATABASE_URL}" }
target: { url: "\${SUPABASE_DB_URL}" }
performance:
  data_api: false
  top_statements: 3
  statement_timeout_ms: ${timeoutMs}
  queries:
    - name: by_x
      sql: "select x from public.${view} where x = $1"
      params: [{ column: public.${view}.x, pick: most_rows }]
`,
    '/tmp/migration.yaml',
    {},
    { connections: 'offline' },
  );

server('sampling on the source', () => {
  let source: FreshDatabase;
  let dir: string;
  beforeAll(async () => {
    source = await freshDatabase('server', 'perfguard');
    await withDb(source.url, (db) => db.exec(SOURCE_SQL));
    dir = mkdtempSync(join(tmpdir(), 'sm-perfguard-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await source?.drop();
  });

  async function workload(view: string, timeoutMs: number) {
    return withDb(source.url, async (db) => {
      const spec = specFor(view, timeoutMs);
      const snapshot = await introspect(db);
      const perf = spec.performance ?? toPerformanceSpec(undefined);
      const input = { snapshot, ctx: securityContext(snapshot, spec), perf, samplesDir: join(dir, view) };
      return buildWorkload(db, input);
    });
  }

  it('runs in a read-only transaction: a read that would write is refused and nothing is written', async () => {
    await expect(workload('noisy', 10000)).rejects.toThrow(/read-only transaction/);
    const rows = await withDb(source.url, (db) =>
      db.query<{ n: number }>('select count(*)::int as n from public.reads'),
    );
    expect(rows.rows[0].n).toBe(0);
  });

  it('runs under the spec statement timeout: a 3 s read is cancelled after 300 ms', async () => {
    const started = Date.now();
    await expect(workload('slow', 300)).rejects.toThrow(/statement timeout/);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('with a generous timeout and nothing that writes, the value is sampled', async () => {
    await withDb(source.url, (db) =>
      db.exec('create table public.plain (x int); insert into public.plain values (4), (4), (7);'),
    );
    const { queries } = await workload('plain', 10000);
    expect(queries.map((q) => [q.name, q.values])).toEqual([['by_x', ['4']]]);
  });
});
