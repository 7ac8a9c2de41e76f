import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { bootstrap } from '../../src/bootstrap';
import { accessMatrix, anonSummary, type AccessMatrix } from '../helpers/access-matrix';
import { runCli } from '../helpers/cli';
import { freshDatabase, withDb } from '../helpers/databases';
import { seedDatabase } from '../helpers/seed';
import { ROOT } from '../helpers/sources';

/**
 * Secure by default on plain-Postgres application schemas (no RLS, no policies at the source):
 * seeded with the row generator, init writes the spec (used unchanged), plan, apply onto a target
 * with Supabase's default privileges. anon then reads and writes nothing, signed-in users reach
 * nothing the spec did not open, and the whole of validate exits 0.
 */
const LOAD = join(ROOT, '../shared/fixtures/real-schemas/load.sh');
const PLATFORM = `('pg_catalog', 'information_schema', 'pg_toast', 'auth', 'storage', 'extensions', 'realtime', 'graphql', 'graphql_public')`;
const SETS = (process.env.SECURITY_PLAIN_SETS ?? 'codetriage,sanbase,synapse,temporal,danbooru,apflora,postgrest').split(',');
const server = process.env.TEST_DATABASE_URL ? describe : describe.skip;

async function tablesIn(url: string, where: string): Promise<string[]> {
  const sql = `select schemaname || '.' || tablename as t from pg_tables where ${where} order by 1`;
  return withDb(url, async (db) => (await db.query<{ t: string }>(sql)).rows.map((r) => r.t));
}

async function appSchemas(url: string): Promise<string[]> {
  const sql = `select nspname as n from pg_namespace where nspname not in ${PLATFORM} and nspname not like 'pg\\_%' order by 1`;
  return withDb(url, async (db) => (await db.query<{ n: string }>(sql)).rows.map((r) => r.n));
}

/** Tables the spec opens to everyone (`public_read`), with the flag column that limits the rows. */
function publicReads(specText: string): Map<string, string | null> {
  const security = (parse(specText) as { security?: Record<string, unknown> }).security ?? {};
  const out = new Map<string, string | null>();
  for (const [table, items] of Object.entries(security)) {
    if (!Array.isArray(items)) continue;
    for (const item of items as Record<string, { filter?: string } | null>[])
      if ('public_read' in item) out.set(table, item.public_read?.filter ?? null);
  }
  return out;
}

/**
 * The cells the spec opened: every actor reads exactly the flagged rows of a public_read table.
 * They are checked, then left out, so that what remains must be closed.
 */
async function checkOpened(url: string, matrix: AccessMatrix, opened: Map<string, string | null>): Promise<AccessMatrix> {
  const rest = { ...matrix };
  for (const [table, filter] of opened) {
    const [schema, name] = table.split('.');
    const where = filter === null ? '' : ` where "${filter}"`;
    const sql = `select count(*)::int as n from "${schema}"."${name}"${where}`;
    const flagged = await withDb(url, async (db) => (await db.query<{ n: number }>(sql)).rows[0].n);
    for (const key of Object.keys(rest).filter((k) => k.startsWith(`${table} `) && k.endsWith(' select'))) {
      expect({ key, rows: rest[key] }).toEqual({ key, rows: flagged });
      delete rest[key];
    }
  }
  return rest;
}

server('secure by default on plain application schemas, seeded', () => {
  for (const name of SETS) {
    it(`${name}: anon reads only the rows the spec opens and writes none; validate exits 0`, async () => {
      const source = await freshDatabase('server', `secp${name}s`);
      const target = await freshDatabase('server', `secp${name}t`);
      const dir = mkdtempSync(join(tmpdir(), `sm-secplain-${name}-`));
      try {
        execFileSync('bash', [LOAD, name, source.url], { stdio: 'ignore', env: { ...process.env, SCAFFOLD: '0' } });
        const seeded = await withDb(source.url, async (db) => seedDatabase(db, await appSchemas(source.url)));
        const rows = Object.values(seeded.rows).reduce((a, b) => a + b, 0);
        expect(rows).toBeGreaterThan(0);
        await withDb(target.url, (db) => bootstrap(db));
        const env = { SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: target.url };
        const cli = (args: string[]) => runCli(args, { cwd: dir, env });
        expect(cli(['init', '--source', source.url, '--target', target.url, '--name', name]).stderr).toBe('');
        expect(cli(['plan']).code).toBe(0);
        const apply = cli(['apply']);
        const tail = apply.code === 0 ? '' : (apply.stdout + apply.stderr).slice(-1500);
        expect({ code: apply.code, tail }).toEqual({ code: 0, tail: '' });
        const tables = await tablesIn(target.url, `schemaname = 'public'`);
        expect(tables.length).toBeGreaterThan(0);
        const opened = publicReads(readFileSync(join(dir, 'migration.yaml'), 'utf8'));
        const matrix = await checkOpened(target.url, await withDb(target.url, (db) => accessMatrix(db, tables)), opened);
        const anon = anonSummary(matrix);
        expect(anon).toEqual({ reads: 0, writes: [] });
        const reached = Object.entries(matrix).filter(([, v]) => typeof v === 'number' && v > 0);
        expect(reached).toEqual([]);
        const validate = cli(['validate']);
        const out = validate.stdout + validate.stderr;
        const lints = out.split('\n').filter((l) => l.startsWith('lints:'));
        console.log(`${name}: ${rows} seeded rows, ${tables.length} public tables, opened by the spec: ${[...opened.keys()].join(', ') || 'none'}; ${lints.join(' ')}`);
        // INFO lines never fail validate: the tail shows the rest.
        const notInfo = out.split('\n').filter((l) => !l.startsWith('INFO')).join('\n');
        expect({ code: validate.code, tail: validate.code === 0 ? '' : notInfo.slice(-3000) }).toEqual({ code: 0, tail: '' });
        expect(out).toContain('lints: no ERROR or WARN caused by the plan');
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await source.drop();
        await target.drop();
      }
    }, 900_000);
  }
});
