import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initProject } from '../../src/commands/init';
import { planProject } from '../../src/commands/plan';
import { applyProject } from '../../src/commands/apply';
import { bootstrapTarget } from '../../src/commands/bootstrap';
import { loadSpec } from '../../src/spec';
import { describeEach, freshDatabase, withDb, type FreshDatabase } from '../helpers/databases';
import { loadRealSchema, preinstallUntrustedExtensions } from '../helpers/real-schemas';

/**
 * Issue 21, reserved names: apflora has its own schema `auth` (not Supabase's). init renames it
 * (`auth: app_auth`), and every reference follows, plpgsql bodies included. Here the functions
 * are called on both sides with a user whose row was copied from the source:
 * `auth.user_role` (plpgsql, pgcrypto's `crypt`, which moved to `extensions`) finds the user's
 * role, and `apflora.login` (plpgsql: declares an `auth.jwt_token`, calls `auth.user_role` and
 * `auth.sign`) ends the same way on both sides. In the published fixture `auth.algorithm_sign`
 * and `auth.url_decode` do not parse (a `WITH` that lost its second query; pg_dump's
 * `check_function_bodies = false` let them in), so a correct password ends in that syntax error
 * on the source too; the target must give the same error, not a missing schema or type.
 */
const server = process.env.TEST_DATABASE_URL;
const SECRET = 'a-secret-of-at-least-32-characters-for-hs256';

interface Login {
  payload: Record<string, unknown> | null;
  valid: boolean | null;
  error: string | null;
}

async function login(url: string, authSchema: string, name: string, pass: string): Promise<Login> {
  return withDb(url, async (db) => {
    await db.exec(`set app.jwt_secret = '${SECRET}'`);
    try {
      const r = await db.query<{ payload: Record<string, unknown>; valid: boolean }>(
        `select (v.payload::jsonb - 'exp') as payload, v.valid
           from apflora.login($1, $2) as t, ${authSchema}.verify(t.token, $3) as v`,
        [name, pass, SECRET],
      );
      return { payload: r.rows[0].payload, valid: r.rows[0].valid, error: null };
    } catch (e) {
      return { payload: null, valid: null, error: (e as { code?: string }).code ?? String(e) };
    }
  });
}

describeEach(server ? ['apflora'] : [], '%s: its own `auth` schema renamed, its functions still work', () => {
  let source: FreshDatabase;
  let target: FreshDatabase;
  let dir: string;

  beforeAll(async () => {
    source = await freshDatabase('server', 'apl_src');
    target = await freshDatabase('server', 'apl_tgt');
    dir = mkdtempSync(join(tmpdir(), 'sm-apflora-'));
    loadRealSchema('apflora', source.url);
    await withDb(source.url, (db) =>
      db.exec(`insert into apflora."user" (name, email, role, pass)
               values ('ada', 'ada@example.org', 'postgrest_test_anonymous', 'correct-horse')`),
    );
  }, 600_000);
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('applies with the spec init wrote, which renames auth to app_auth', async () => {
    await initProject({ source: source.url, dir, name: 'apflora' });
    const spec = loadSpec(join(dir, 'migration.yaml'), {
      SOURCE_DATABASE_URL: source.url,
      SUPABASE_DB_URL: target.ownerUrl,
    });
    expect(spec.schema.renameSchemas).toEqual({ auth: 'app_auth' });
    planProject(spec);
    await bootstrapTarget(target.url);
    await preinstallUntrustedExtensions(source.url, target.url);
    const applied = await applyProject(spec);
    expect(applied.error).toBeNull();
  }, 900_000);

  it("user_role (pgcrypto's crypt, moved to extensions) finds the copied user on both sides", async () => {
    const role = (url: string, schema: string, pass: string) =>
      withDb(url, async (db) => (await db.query<{ r: string | null }>(`select ${schema}.user_role('ada', $1) as r`, [pass])).rows[0].r);
    expect(await role(source.url, 'auth', 'correct-horse')).toBe('postgrest_test_anonymous');
    expect(await role(target.url, 'app_auth', 'correct-horse')).toBe('postgrest_test_anonymous');
    expect(await role(target.url, 'app_auth', 'wrong-horse')).toBeNull();
  });

  it('login with the right password ends as on the source (the fixture\'s own sign does not parse)', async () => {
    const onSource = await login(source.url, 'auth', 'ada', 'correct-horse');
    // 42601 from auth.algorithm_sign, reached only after user_role accepted the password.
    expect(onSource).toEqual({ payload: null, valid: null, error: '42601' });
    expect(await login(target.url, 'app_auth', 'ada', 'correct-horse')).toEqual(onSource);
  });

  it('a wrong password fails the same way on both sides', async () => {
    const onSource = await login(source.url, 'auth', 'ada', 'wrong-horse');
    expect(onSource.error).toBe('28P01');
    expect(await login(target.url, 'app_auth', 'ada', 'wrong-horse')).toEqual(onSource);
  });

  it("the target's own auth schema (Supabase's) holds none of the application's objects", async () => {
    const r = await withDb(target.url, (db) =>
      db.query<{ n: number }>(
        `select count(*)::int as n from pg_proc where pronamespace = 'auth'::regnamespace and proname in ('login', 'sign', 'verify', 'user_role')`,
      ),
    );
    expect(r.rows[0].n).toBe(0);
  });
});

if (!server) {
  it('needs TEST_DATABASE_URL: load.sh talks to a server', () => {
    expect(server).toBeUndefined();
  });
}
