import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrap } from '../../src/bootstrap';
import type { Spec } from '../../src/spec/types';
import { accessMatrix, anonSummary, MATRIX_ACTORS, type AccessMatrix } from '../helpers/access-matrix';
import { runCli } from '../helpers/cli';
import { freshDatabase, withDb } from '../helpers/databases';
import { appSchemas, inExposed, matrixTables, projectSpec, readableSecrets, specOpenedCells, withoutOpened } from '../helpers/matrix-scope';
import { seedDatabase } from '../helpers/seed';
import { loadPlainSet, OWN_APPS, PLAIN_REAL } from '../helpers/seed-sets';
import { grantedMatviews, matrixViews, openCells, viewMatrix, viewOpenedCells, viewScopeLine, viewsWithRows } from '../helpers/view-matrix';

/**
 * Secure by default on plain-Postgres application schemas (no Supabase at the source): the real
 * schemas, and this project's own fixtures that are whole applications. Seeded with the row
 * generator, init writes the spec (used unchanged), plan, apply onto a target with Supabase's
 * default privileges. anon then reads and writes nothing, signed-in users reach nothing the spec
 * did not open, in every schema the Data API serves and the application's others, and the whole
 * of validate exits 0.
 */
// Not here: catalog-order, catalog-kinds, kinds-extra (catalogs of object kinds, not applications);
// webapp (security-webapp.e2e checks its exact matrix under init's patterns).
const REAL = PLAIN_REAL.join(',');
const SETS = (process.env.SECURITY_PLAIN_SETS ?? process.env.SECURITY_SETS ?? `${REAL},${Object.keys(OWN_APPS).join(',')}`).split(',');
const server = process.env.TEST_DATABASE_URL ? describe : describe.skip;

const roleOf = (actor: string): string => MATRIX_ACTORS.find((a) => a.name === actor)?.role ?? actor;

/**
 * The rows of public_read tables: every actor reads exactly the flagged rows. They are checked,
 * then left out with every other cell the spec opened, so that what remains must be closed.
 */
async function checkOpened(url: string, matrix: AccessMatrix, spec: Spec): Promise<AccessMatrix> {
  for (const [table, patterns] of Object.entries(spec.security.tables ?? {})) {
    for (const p of patterns.filter((x) => x.kind === 'public_read')) {
      const [schema, name] = table.split('.');
      const filter = p.kind === 'public_read' ? p.filter : null;
      const sql = `select count(*)::int as n from "${schema}"."${name}"${filter === null ? '' : ` where "${filter}"`}`;
      const flagged = await withDb(url, async (db) => (await db.query<{ n: number }>(sql)).rows[0].n);
      for (const role of p.roles)
        for (const key of Object.keys(matrix).filter((k) => k.startsWith(`${table} `) && k.endsWith(' select')))
          if (MATRIX_ACTORS.find((a) => a.name === key.split(' ')[1])?.role === role) expect({ key, rows: matrix[key] }).toEqual({ key, rows: flagged });
    }
  }
  return withoutOpened(matrix, specOpenedCells(spec), roleOf);
}

/**
 * Views and matviews in the same schemas: none shows a row or takes a write the spec did not
 * open, and none fails. Returns what it covered, for the log.
 */
async function checkViews(url: string, spec: Spec): Promise<string> {
  const { views, matrix, withRows, granted } = await withDb(url, async (db) => {
    const found = await matrixViews(db, url, spec);
    return { views: found, matrix: await viewMatrix(db, found), withRows: await viewsWithRows(db, found), granted: await grantedMatviews(db, found) };
  });
  const opened = viewOpenedCells(views, specOpenedCells(spec));
  const rest = withoutOpened(matrix, opened, roleOf);
  expect(openCells(rest)).toEqual([]);
  expect(Object.entries(rest).filter(([, v]) => typeof v === 'string')).toEqual([]);
  expect(granted.filter((c) => !opened.has(c))).toEqual([]);
  return viewScopeLine(views, withRows);
}

async function migrateAndCheck(name: string, dir: string, source: string, target: string): Promise<void> {
  loadPlainSet(name, source, dir);
  const seeded = await withDb(source, async (db) => seedDatabase(db, await appSchemas(source)));
  const rows = Object.values(seeded.rows).reduce((a, b) => a + b, 0);
  expect(rows).toBeGreaterThan(0);
  await withDb(target, (db) => bootstrap(db));
  const env = { SOURCE_DATABASE_URL: source, SUPABASE_DB_URL: target };
  const cli = (args: string[]) => runCli(args, { cwd: dir, env });
  expect(cli(['init', '--source', source, '--target', target, '--name', name.replace(/-/g, '_')]).stderr).toBe('');
  expect(cli(['plan']).code).toBe(0);
  const apply = cli(['apply']);
  const tail = apply.code === 0 ? '' : (apply.stdout + apply.stderr).slice(-1500);
  expect({ code: apply.code, tail }).toEqual({ code: 0, tail: '' });
  const spec = projectSpec(dir, env);
  const { tables, exposed } = await matrixTables(target, spec);
  expect(tables.length).toBeGreaterThan(0);
  const matrix = await checkOpened(target, await withDb(target, (db) => accessMatrix(db, tables)), spec);
  expect(anonSummary(matrix)).toEqual({ reads: 0, writes: [] });
  expect(Object.entries(matrix).filter(([, v]) => typeof v === 'number' && v > 0)).toEqual([]);
  expect(Object.entries(matrix).filter(([, v]) => typeof v === 'string')).toEqual([]);
  // Where the spec opens rows, columns that look like secrets stay out of the API.
  expect(await readableSecrets(target, tables)).toEqual([]);
  const viewScope = await checkViews(target, spec);
  const validate = cli(['validate']);
  const out = validate.stdout + validate.stderr;
  const lints = out.split('\n').filter((l) => l.startsWith('lints:'));
  const opened = Object.keys(spec.security.tables ?? {}).join(', ') || 'none';
  const unseeded = Object.keys(seeded.failed);
  const few = unseeded.length > 6 ? `${unseeded.slice(0, 6).join(', ')}, ...` : unseeded.join(', ');
  console.log(`${name}: ${rows} seeded rows (${unseeded.length} tables unseeded${few ? `: ${few}` : ''}); matrix over ${tables.length} tables (${inExposed(tables, exposed)} in exposed ${exposed.join(', ')}); ${viewScope}; spec opens: ${opened}; ${lints.join(' ')}`);
  // INFO lines and lints carried from the source never fail validate: the tail shows the rest.
  const notInfo = out.split('\n').filter((l) => !l.startsWith('INFO') && !l.includes('[carried from the source')).join('\n');
  expect({ code: validate.code, tail: validate.code === 0 ? '' : notInfo.slice(-3000) }).toEqual({ code: 0, tail: '' });
  expect(out).toContain('lints: no ERROR or WARN caused by the plan');
}

server('secure by default on plain application schemas, seeded', () => {
  for (const name of SETS) {
    it(`${name}: anon reads only the rows the spec opens and writes none; validate exits 0`, async () => {
      const source = await freshDatabase('server', `secp${name.replace(/-/g, '')}s`);
      const target = await freshDatabase('server', `secp${name.replace(/-/g, '')}t`);
      const dir = mkdtempSync(join(tmpdir(), `sm-secplain-${name}-`));
      try {
        await migrateAndCheck(name, dir, source.url, target.url);
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await source.drop();
        await target.drop();
      }
    }, 900_000);
  }
});
