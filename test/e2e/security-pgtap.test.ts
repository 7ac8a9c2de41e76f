import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { withDb } from '../../src/db';
import { describeEach } from '../helpers/databases';
import { applyExample, type AppliedExample } from './security-helpers';

const server = process.env.TEST_DATABASE_URL;
const INSTALL = 'apt-get install -y postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl';
const hasPgProve = spawnSync('pg_prove', ['--version'], { encoding: 'utf8' }).status === 0;

const prove = (url: string, files: string[]) => spawnSync('pg_prove', ['--dbname', url, ...files], { encoding: 'utf8', timeout: 300_000 });

// The generated pgTAP suite needs a PostgreSQL server with pgTAP, and pg_prove; PGlite has neither.
// Without TEST_DATABASE_URL (no server) it does not run, as every server test; with a server but
// without pg_prove it fails and says how to install it, so CI can never pass it by accident.
describeEach(server ? ['server'] : [], 'generated pgTAP suite under pg_prove on the %s', () => {
  let ex: AppliedExample | undefined;
  let files: string[] = [];
  beforeAll(async () => {
    if (!server || !hasPgProve) return;
    ex = await applyExample('server');
    const dir = join(dirname(ex.spec.file), 'supabase/tests/database');
    files = readdirSync(dir).sort().map((f) => join(dir, f));
  });
  afterAll(async () => {
    await ex?.drop();
  });

  it('has what it needs to run', () => {
    if (!hasPgProve) throw new Error(`pg_prove is not on PATH; install it with: ${INSTALL}`);
  });

  it('writes one file per public table and every test passes', () => {
    if (!ex) throw new Error('no target: see the test above');
    expect(files.length).toBeGreaterThan(20);
    expect(files.map((f) => f.slice(f.lastIndexOf('/') + 1))).toContain('submissions.test.sql');
    const r = prove(ex.target.url, files);
    expect(r.stdout + r.stderr).toMatch(/All tests successful/);
    expect(r.status).toBe(0);
  });

  it('fails when a policy opens rows to the wrong user', async () => {
    if (!ex) throw new Error('no target: see the first test');
    await withDb(ex.target.url, (db) => db.exec('drop policy "authenticated can select" on public.submissions; create policy leak on public.submissions for select to authenticated using (true);'));
    const file = files.find((f) => f.endsWith('/submissions.test.sql')) as string;
    const r = prove(ex.target.url, [file]);
    writeFileSync('/tmp/sm-pgtap-fail.txt', r.stdout + r.stderr);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/public\.submissions: other_user select/);
  });
});

if (!server) {
  it('needs TEST_DATABASE_URL: pgTAP runs on a PostgreSQL server, not in PGlite', () => {
    expect(server).toBeUndefined();
  });
}
