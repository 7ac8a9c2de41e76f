import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { withDb } from '../../helpers/databases';
import { migrate, performanceJson, performanceLints, perfProject, shapeDifferences, type PerfProject } from './project';
import { TENANT_SECURITY_YAML, tenantFixtureSql } from './tenant-fixture';

/**
 * The multi-tenant fixture (1 M tasks by default; PERF_TENANT_ROWS to change) with owner and
 * tenant policies: validate --performance passes on plan shape, no sampled value reaches the
 * output or the report, a per-row auth.uid() policy on the large table is caught, and the HTML
 * report renders its charts in Debian's chromium without a single outside request.
 */
const server = process.env.TEST_DATABASE_URL ? describe : describe.skip;
const ROWS = Number(process.env.PERF_TENANT_ROWS ?? 1_000_000);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const PERF_YAML = `
performance:
  floor_ms: 100000
  runs: 3
  warmup: 1
`;

server('validate --performance on the multi-tenant fixture', () => {
  let p: PerfProject;
  let proposed: string;
  beforeAll(async () => {
    p = await perfProject('perften', (url) => withDb(url, (db) => db.exec(tenantFixtureSql(ROWS))));
    proposed = migrate(p, 'tenant', `${TENANT_SECURITY_YAML}${PERF_YAML}`);
  });
  afterAll(() => p?.cleanup());

  it("init's spec lists the Data API queries with how each value and claim is picked, and holds no uuid", () => {
    const section = proposed.slice(proposed.indexOf('\nperformance:'));
    expect(section).toMatch(
      /^ {2}# public\.projects\.by_tenant_id as authenticated: \$1 = the most frequent public\.projects\.tenant_id; claims app_metadata\.tenant_id = the most frequent public\.projects\.tenant_id$/m,
    );
    expect(section).toMatch(/^ {2}data_api: true$/m);
    expect(proposed).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
  });

  it('passes with the generated policies, same access paths, and no sampled value in the output or the report', () => {
    const run = p.cli(['validate', '--performance', '--json']);
    const queries = performanceJson(run);
    expect(queries.filter((q) => q.regressed).map((q) => `${q.name}: ${q.error ?? q.target_nodes.join('; ')}`)).toEqual(
      [],
    );
    expect(run.code).toBe(0);
    const roles = new Set(queries.map((q) => q.role));
    expect([...roles].sort()).toEqual(['authenticated', 'service_role']);
    expect(queries.flatMap(shapeDifferences)).toEqual([]);
    const samples = Object.values(
      JSON.parse(readFileSync(join(p.dir, '.supamigrate/performance/samples.json'), 'utf8')) as Record<string, string>,
    );
    const secrets = samples.filter((v) => /^[0-9a-f-]{36}$/.test(v));
    expect(secrets.length).toBeGreaterThan(0);
    const text = p.cli(['validate', '--performance']);
    const report = readFileSync(join(p.dir, '.supamigrate/report/index.html'), 'utf8');
    for (const s of secrets) {
      expect(run.stdout.includes(s) || text.stdout.includes(s) || text.stderr.includes(s)).toBe(false);
      expect(report.includes(s)).toBe(false);
      expect(readFileSync(join(p.dir, 'migration.yaml'), 'utf8').includes(s)).toBe(false);
      expect(proposed.includes(s)).toBe(false);
    }
  });

  it("the advisor performance lints find nothing the plan caused; a seeded duplicate index is told as the plan's", async () => {
    const plans = (lints: string[]) => lints.filter((l) => l.startsWith('plan '));
    expect(plans(await performanceLints(p))).toEqual([]);
    await withDb(p.target.url, (db) => db.exec('create index tasks_owner_again on public.tasks (owner_id)'));
    try {
      expect(plans(await performanceLints(p))).toEqual(['plan duplicate_index public.tasks']);
    } finally {
      await withDb(p.target.url, (db) => db.exec('drop index public.tasks_owner_again'));
    }
  });

  it('the report opens in chromium: one chart per query renders, and nothing is requested from outside', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      const file = join(p.dir, '.supamigrate/report/index.html');
      await page.goto(`file://${file}`);
      const charts = await page.$$eval('svg.chart', (els) =>
        els.map((e) => {
          const bars = [...e.querySelectorAll('rect')].map((r) => r.getBoundingClientRect().width);
          return { width: e.getBoundingClientRect().width, bars: bars.length, drawn: bars.filter((w) => w > 0).length };
        }),
      );
      const queries = await page.$$eval('.query', (els) => els.length);
      expect(charts.length).toBe(queries);
      expect(charts.length).toBeGreaterThan(5);
      for (const c of charts) expect(c.width > 0 && c.bars === 6 && c.drawn === 6).toBe(true);
      expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  // tasks keeps an index path without project_id's (the owner policy's owner_id index serves the embed), so the
  // seeded drop is projects' tenant_id index, which the service key's embed of a tenant's projects needs.
  it('a dropped foreign-key index on projects is caught on the embed, with both plans and the fix', async () => {
    await withDb(p.target.url, (db) => db.exec('drop index public.projects_tenant_id_idx'));
    try {
      const run = p.cli(['validate', '--performance']);
      expect(run.code).toBe(1);
      const block = run.stdout.slice(run.stdout.indexOf('SLOWER public.tenants.embed.public.projects.tenant_id'));
      expect(block).toMatch(/^SLOWER public\.tenants\.embed\.public\.projects\.tenant_id as service_role/);
      expect(block).toMatch(/lost_index: the source reads projects through an index; the target scans it whole/);
      expect(block).toMatch(/source plan: .*(Index Scan using|Bitmap Index Scan on) projects_tenant_id_idx/);
      expect(block).toMatch(/target plan: .*Seq Scan on projects/);
      expect(block).toMatch(/fix: create on the target the index the source uses on projects/);
    } finally {
      await withDb(p.target.url, (db) => db.exec('create index projects_tenant_id_idx on public.projects (tenant_id)'));
    }
  });

  it('a per-row auth.uid() policy on tasks is caught, with both plans and the fix', async () => {
    await withDb(p.target.url, (db) =>
      db.exec(`drop policy "authenticated can select" on public.tasks;
      create policy "authenticated can select" on public.tasks for select to authenticated using (auth.uid() = owner_id)`),
    );
    const run = p.cli(['validate', '--performance']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/SLOWER public\.tasks\.\S+ as authenticated/);
    // auth.uid() is a SQL function: the plan shows it inlined, reading current_setting per row.
    expect(run.stdout).toMatch(
      /per_row_call: tasks \(\d+ rows\): the filter .*(auth\.uid\(\)|current_setting\('request\.jwt)/,
    );
    expect(run.stdout).toMatch(/fix: wrap the call in a select so it runs once per statement/);
    expect(run.stdout).toMatch(/source plan: .* on tasks/);
    expect(run.stdout).toMatch(/target plan: .* on tasks/);
  });
});
