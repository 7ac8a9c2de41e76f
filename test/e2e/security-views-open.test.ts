import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { applyProject } from '../../src/commands/apply';
import { bootstrapTarget } from '../../src/commands/bootstrap';
import { initProject } from '../../src/commands/init';
import { planProject } from '../../src/commands/plan';
import { closeNamedPglite, type Db } from '../../src/db';
import { loadSpec } from '../../src/spec';
import { freshDatabase, type FreshDatabase, TARGETS, withDb } from '../helpers/databases';

/**
 * `security.views` on a real target: what the spec opens by name is readable by those roles, with
 * the rights it sets, and nothing else is. A plain source (no RLS): staff rows hold password hashes.
 */
const SOURCE = `
create table public.staff (id int primary key, name text not null, password text not null);
insert into public.staff values (1, 'ada', '$2a$10$x'), (2, 'bob', '$2a$10$y');
create view public.staff_names as select id, name from public.staff;
create view public.staff_all as select * from public.staff;
create materialized view public.staff_count as select count(*) as n from public.staff;
`;
const VIEWS = {
  'public.staff_names': { rights: 'owner', open: ['authenticated'] },
  'public.staff_count': { open: ['anon'] },
};

/** Rows the role reads from the relation, or the error's SQLSTATE. */
async function readAs(db: Db, role: string, relation: string): Promise<number | string> {
  await db.exec('begin');
  try {
    await db.exec(`set local role ${role}`);
    return (await db.query(`select * from ${relation}`)).rows.length;
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  } finally {
    await db.exec('rollback');
  }
}

describe.each(TARGETS)('security.views opens views by name (%s)', (kind) => {
  let source: FreshDatabase;
  let target: FreshDatabase;
  let dir: string;
  beforeAll(async () => {
    source = await freshDatabase(kind, 'vwsrc');
    target = await freshDatabase(kind, 'vwtgt');
    await withDb(source.url, (db) => db.exec(SOURCE));
    dir = mkdtempSync(join(tmpdir(), 'sm-views-open-'));
    await initProject({ source: source.url, dir, name: 'views' });
    const file = join(dir, 'migration.yaml');
    const doc = parseDocument(readFileSync(file, 'utf8'));
    doc.setIn(['security', 'views'], VIEWS);
    writeFileSync(file, doc.toString());
    const spec = loadSpec(file, { SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: target.ownerUrl });
    planProject(spec);
    await bootstrapTarget(target.url);
    const applied = await applyProject(spec);
    expect(applied.error).toBeNull();
  });
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await closeNamedPglite();
  });

  it('each role reads what the spec opened for it, with the rights it set, and nothing more', async () => {
    const cells = await withDb(target.url, async (db) => {
      const out: Record<string, number | string> = {};
      for (const relation of ['public.staff', 'public.staff_names', 'public.staff_all', 'public.staff_count'])
        for (const role of ['anon', 'authenticated']) out[`${relation} ${role}`] = await readAs(db, role, relation);
      return out;
    });
    expect(cells).toEqual({
      'public.staff anon': '42501',
      'public.staff authenticated': '42501',
      // Owner rights on purpose: its columns of every row, past the table's RLS.
      'public.staff_names anon': '42501',
      'public.staff_names authenticated': 2,
      'public.staff_all anon': '42501',
      'public.staff_all authenticated': '42501',
      'public.staff_count anon': 1,
      'public.staff_count authenticated': '42501',
    });
  });

  it('only the view the spec did not name reads as the caller', async () => {
    const options = await withDb(target.url, async (db) =>
      (await db.query<{ name: string; options: string[] | null }>(
        `select relname as name, reloptions as options from pg_class where relname in ('staff_names', 'staff_all') order by 1`,
      )).rows,
    );
    expect(options).toEqual([
      { name: 'staff_all', options: ['security_invoker=true'] },
      { name: 'staff_names', options: null },
    ]);
  });
});
