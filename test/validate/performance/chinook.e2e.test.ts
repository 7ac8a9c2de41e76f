import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withDb } from '../../helpers/databases';
import { CHINOOK_SQL } from '../../helpers/sources';
import { parseSpec } from '../../../src/spec';
import { migrate, performanceJson, performanceLints, perfProject, shapeDifferences, type PerfProject } from './project';

/**
 * Chinook with its rows, through init, plan and apply: validate --performance passes, judged on
 * plan shape (floor_ms is set high so a busy machine's timings cannot decide), the top statements
 * of pg_stat_statements join the workload with sampled values reused by the next run, and a
 * dropped foreign-key index on the target is caught with both plans.
 */
const server = process.env.TEST_DATABASE_URL ? describe : describe.skip;

const PERF_YAML = `
performance:
  floor_ms: 100000
  runs: 3
  warmup: 1
  top_statements: 5
`;

async function loadChinook(url: string): Promise<void> {
  execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', CHINOOK_SQL], { stdio: 'ignore' });
  await withDb(url, async (db) => {
    await db.exec('create extension if not exists pg_stat_statements');
    await db.exec('analyze');
    // The application's own traffic, so pg_stat_statements has statements of this database.
    for (let i = 1; i <= 30; i++) {
      await db.query('select t.name, t.milliseconds from track t where t.album_id = $1 order by t.track_id', [i]);
      await db.query('select i.invoice_id, i.total from invoice i where i.customer_id = $1', [i]);
    }
  });
}

server('validate --performance on Chinook', () => {
  let p: PerfProject;
  let proposed: string;
  beforeAll(async () => {
    p = await perfProject('perfchin', loadChinook);
    proposed = migrate(p, 'chinook', PERF_YAML);
  });
  afterAll(() => p?.cleanup());

  it("init proposes the workload in the spec: the top statements with their picks, the Data API's list, no value", () => {
    const spec = parseSpec(proposed, join(p.dir, 'migration.yaml'), {}, { connections: 'offline' });
    const named = spec.performance?.queries ?? [];
    const track = named.find((q) => /from track t where t\.album_id = \$1/.test(q.sql));
    expect(track?.params).toEqual([{ column: 'public.track.album_id', pick: 'most_rows' }]);
    expect(track?.as).toEqual({ role: 'postgres', claims: {} });
    expect(named.find((q) => /from invoice i where i\.customer_id = \$1/.test(q.sql))?.params).toEqual([
      { column: 'public.invoice.customer_id', pick: 'most_rows' },
    ]);
    // Chinook has no policy pattern: the Data API list is the service key's, embeds with their picks.
    expect(proposed).toMatch(/^ {2}# public\.album\.embed\.public\.track\.album_id as service_role: \$1 = the most /m);
    expect(proposed).toMatch(/^ {2}# public\.track\.get as service_role: \$1 = the smallest public\.track\.track_id$/m);
    expect(spec.performance?.dataApi).toBe(true);
    // The values themselves are sampled at validate time only: the album with most tracks is not written.
    expect(proposed).not.toMatch(/album_id = \d|track_id = \d/);
  });

  it('passes, every Data API query keeps the source access paths, the top statements join with sampled values', () => {
    const run = p.cli(['validate', '--performance', '--json']);
    const queries = performanceJson(run);
    expect(queries.filter((q) => q.regressed).map((q) => `${q.name}: ${q.error ?? q.target_nodes.join('; ')}`)).toEqual(
      [],
    );
    expect(run.code).toBe(0);
    const api = queries.filter((q) => q.origin === 'data_api');
    expect(api.length).toBeGreaterThan(20);
    expect(api.flatMap(shapeDifferences)).toEqual([]);
    const top = queries.filter((q) => q.origin === 'statements');
    expect(top.map((q) => q.sql).join('\n')).toMatch(/from track t where t\.album_id = \$1/);
    expect(top.every((q) => q.source_plan !== null && q.target_plan !== null)).toBe(true);
    for (const q of queries)
      expect(Object.keys(q)).toEqual(
        expect.arrayContaining(['name', 'sql', 'role', 'source_ms', 'target_ms', 'ratio', 'regressed']),
      );
    const samples = join(p.dir, '.supamigrate/performance/samples.json');
    expect(readFileSync(join(p.dir, '.supamigrate/performance/.gitignore'), 'utf8')).toMatch(/^\*$/m);
    const first = readFileSync(samples, 'utf8');
    expect(first).toMatch(/most_rows:public\.track\.album_id/);
    // A second run reuses the values: the file is unchanged and the same statements run.
    const again = performanceJson(p.cli(['validate', '--performance', '--json']));
    expect(readFileSync(samples, 'utf8')).toBe(first);
    expect(again.map((q) => `${q.name} ${q.sql.slice(0, 150)}`)).toEqual(
      queries.map((q) => `${q.name} ${q.sql.slice(0, 150)}`),
    );
    expect(existsSync(join(p.dir, '.supamigrate/report/index.html'))).toBe(true);
  });

  it('the advisor performance lints find nothing the plan caused on Chinook', async () => {
    expect((await performanceLints(p)).filter((l) => l.startsWith('plan '))).toEqual([]);
  });

  it('a dropped foreign-key index on the target: exit 1, the embed of track named with both plans and the fix', async () => {
    await withDb(p.target.url, (db) => db.exec('drop index public.track_album_id_idx'));
    const run = p.cli(['validate', '--performance']);
    expect(run.code).toBe(1);
    const block = run.stdout.slice(run.stdout.indexOf('SLOWER public.album.embed.public.track.album_id'));
    expect(block).toMatch(/^SLOWER public\.album\.embed\.public\.track\.album_id as service_role/);
    expect(block).toMatch(/lost_index: the source reads track through an index; the target scans it whole/);
    expect(block).toMatch(/source plan: .*Index Scan using track_album_id_idx on track/);
    expect(block).toMatch(/target plan: .*Seq Scan on track/);
    expect(block).toMatch(/fix: create on the target the index the source uses on track/);
  });
});
