import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { bootstrap } from '../../src/bootstrap';
import { accessMatrix, authUserActors, type AccessMatrix } from '../helpers/access-matrix';
import { runCli } from '../helpers/cli';
import { freshDatabase, withDb } from '../helpers/databases';
import { ROOT } from '../helpers/sources';

/**
 * A web app shaped as many are (users with is_superuser, items with an `owner` foreign key):
 * init writes the spec, used unchanged; plan, bootstrap, apply. Then, with the tokens Supabase
 * Auth would issue (app_metadata from the seeded auth.users), a user reads only its own items and
 * its own user row, the admin reads all, anon and a stranger read none, and nobody writes.
 */
const SQL = join(ROOT, 'test/fixtures/webapp.sql');
const server = process.env.TEST_DATABASE_URL ? describe : describe.skip;

/** The expected count per actor for one operation on one table; every other cell must be 0. */
const READS: Record<string, Record<string, number>> = {
  'public.items': { 'admin@example.com': 6, 'bob@example.com': 2, 'cy@example.com': 3 },
  'public.users': { 'admin@example.com': 3, 'bob@example.com': 1, 'cy@example.com': 1 },
};

function expected(matrix: AccessMatrix): AccessMatrix {
  return Object.fromEntries(Object.keys(matrix).map((key) => {
    const [table, actor, op] = key.split(' ');
    return [key, op === 'select' ? (READS[table]?.[actor] ?? 0) : 0];
  }));
}

server('a typical web app: users with is_superuser, items with an owner', () => {
  it('after init + apply, users read their own items, the admin all, anon none', async () => {
    const source = await freshDatabase('server', 'webapps');
    const target = await freshDatabase('server', 'webappt');
    const dir = mkdtempSync(join(tmpdir(), 'sm-webapp-'));
    try {
      execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', source.url, '-f', SQL], { stdio: 'ignore' });
      await withDb(target.url, (db) => bootstrap(db));
      const env = { SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: target.url };
      const cli = (args: string[]) => runCli(args, { cwd: dir, env });
      expect(cli(['init', '--source', source.url, '--target', target.url, '--name', 'webapp']).stderr).toBe('');
      const security = (parseYaml(readFileSync(join(dir, 'migration.yaml'), 'utf8')) as { security: Record<string, unknown> }).security;
      expect(security.users_table).toMatchObject({ table: 'public.users', app_metadata: { is_superuser: 'is_superuser' } });
      expect(security['public.items']).toEqual([
        { owner: { column: 'owner' }, operations: ['select'] },
        { role: { claim: 'app_metadata.is_superuser', values: ['true'] }, operations: ['select'] },
      ]);
      expect(cli(['plan']).code).toBe(0);
      const apply = cli(['apply']);
      expect({ code: apply.code, tail: apply.code === 0 ? '' : (apply.stdout + apply.stderr).slice(-1500) }).toEqual({ code: 0, tail: '' });
      const matrix = await withDb(target.url, async (db) => accessMatrix(db, ['public.items', 'public.users'], await authUserActors(db)));
      console.log(`webapp matrix: ${JSON.stringify(matrix)}`);
      expect(Object.keys(matrix).filter((k) => k.endsWith(' insert'))).toHaveLength(10);
      expect(matrix).toEqual(expected(matrix));
      const validate = cli(['validate']);
      expect(validate.stdout + validate.stderr).toContain('lints: no ERROR or WARN caused by the plan');
      expect(validate.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await source.drop();
      await target.drop();
    }
  }, 600_000);
});
