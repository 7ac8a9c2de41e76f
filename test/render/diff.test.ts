import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeNamedPglite } from '../../src/db';
import { planDiffProject } from '../../src/commands/plan-diff';
import { UserError } from '../../src/errors';
import { FINDING_CODES as C } from '../../src/plan/findings';
import { planChangeMarkdown } from '../../src/render/diff-markdown';
import { loadSpec } from '../../src/spec';
import { freshDatabase, TARGETS, itEach, withDb } from '../helpers/databases';
import { copyProject, gitProject, type GitProject } from './diff-fixture';

const SEED = `
  create table customers (id int primary key, email text, name varchar(100));
  insert into customers select g, 'c' || g || '@example.com', 'customer ' || g from generate_series(1, 50) g;
  create table orders (id int primary key, customer_id int references customers, total numeric(10,2));
  insert into orders select g, 1 + g % 50, g from generate_series(1, 20) g;
  analyze;
`;

afterAll(() => closeNamedPglite());

describe('plan --diff against a git ref', () => {
  it('summarises steps per phase, lists findings with codes and shows the diffs', async () => {
    const p = await gitProject(SEED);
    await p.commit('first plan');
    await p.change(`drop table orders; alter table customers alter column name type varchar(60);
      create table notes (id int primary key, body text); analyze;`);
    const change = await planDiffProject(p.spec(), 'main');
    const ids = (status: string) => change.steps.filter((s) => s.status === status).map((s) => s.id);
    expect(ids('added')).toEqual(expect.arrayContaining(['table:public.notes', 'data:public.notes', 'primary-key:public.notes.notes_pkey']));
    expect(ids('removed')).toEqual(expect.arrayContaining(['table:public.orders', 'data:public.orders', 'foreign-key:public.orders.orders_customer_id_fkey']));
    expect(ids('changed')).toContain('table:public.customers');
    expect(change.summary.schema).toMatchObject({ stepsAdded: 2, stepsChanged: 1, stepsRemoved: 3 });
    expect(change.summary.data).toMatchObject({ stepsAdded: 1, stepsRemoved: 1 });
    expect(change.summary.types).toMatchObject({ filesChanged: 1 });
    expect(change.findings.map((f) => `${f.code} ${f.object}`)).toEqual([
      `${C.dropTable} public.orders`,
      `${C.typeNarrowed} public.customers.name`,
      `${C.tableRewrite} public.customers.name`,
    ]);
    expect(change.destructive).toBe(true);
    // Planned files are written but not committed: the working tree is what the PR holds.
    expect(change.outOfDate).toEqual([]);

    const md = planChangeMarkdown(change);
    expect(md.indexOf('| schema | 2 | 1 | 3 |')).toBeGreaterThan(0);
    expect(md).toMatch(/\*\*SM-D001\*\* `public\.orders`.*evolution\.allow_destructive/);
    expect(md).toMatch(/<details><summary><code>supabase\/migrations\/20000101000100_shop_pre_data\.sql<\/code> \(changed, \+\d+ -\d+\)<\/summary>/);
    expect(md).toContain('-  "name" character varying(100)');
    expect(md).toContain('+  "name" character varying(60)');
    expect(md).toContain('-create table "public"."orders" (');
    expect(md.indexOf('#### Findings')).toBeLessThan(md.indexOf('#### Files'));
  });

  it('reports nothing for a branch that changes nothing, and flags files that differ from the plan', async () => {
    const p = await gitProject(SEED);
    await p.commit('first plan');
    const same = await planDiffProject(p.spec(), 'main');
    expect(same.hasChanges).toBe(false);
    expect(same.findings).toEqual([]);
    expect(planChangeMarkdown(same)).toContain('No changes to the plan.');
    writeFileSync(join(p.dir, 'supabase/types/database.types.ts'), '// edited by hand\n');
    const edited = await planDiffProject(p.spec(), 'main');
    expect(edited.outOfDate).toEqual(['supabase/types/database.types.ts']);
    expect(planChangeMarkdown(edited)).toContain('differ from what the spec and snapshot generate');
  });

  it('stays under GitHub\'s comment limit: diffs are cut with a note, the summary and findings never', async () => {
    const wide = Array.from({ length: 30 }, (_, i) => `c${i} varchar(200)`).join(', ');
    const tables = Array.from({ length: 40 }, (_, i) => `create table t${i} (id int primary key, ${wide});`).join('\n');
    const p = await gitProject(`create table seed (id int primary key);\n${tables}`);
    await p.commit('first plan');
    // Dropping the 40 tables gives 40 findings (SM-D001) and a diff far over the limit.
    await p.change(Array.from({ length: 40 }, (_, i) => `drop table t${i};`).join('\n'));
    const change = await planDiffProject(p.spec(), 'main');
    const full = change.files.reduce((n, f) => n + f.patch.length, 0);
    expect(full).toBeGreaterThan(100_000);
    const md = planChangeMarkdown(change);
    expect(md.length).toBeLessThanOrEqual(65_536);
    expect(change.summary.schema.stepsRemoved).toBe(80);
    expect(change.summary.data.stepsRemoved).toBe(40);
    expect(md).toContain('| schema | 0 | 0 | 80 |');
    expect(md).toContain('run `supamigrate plan --diff main` locally for the full diff');
    expect(md.match(/\*\*SM-D001\*\*/g)?.length).toBe(40);
    // Fences stay balanced, so the comment renders.
    expect((md.match(/^```/gm)?.length ?? 0) % 2).toBe(0);
    const small = planChangeMarkdown(change, { maxChars: 20_000 });
    expect(small.length).toBeLessThanOrEqual(20_000);
    expect(small).toContain('| schema | 0 | 0 | 80 |');
  });

  itEach(TARGETS, 'counts the rows that violate a new NOT NULL in the source given (%s)', async (kind) => {
    const p = await gitProject(SEED);
    await p.commit('first plan');
    // Staging (the introspected source) was cleaned up; production still has nulls.
    const production = await freshDatabase(kind, 'diffsrc');
    try {
      await withDb(production.url, (db) => db.exec(`create table customers (id int primary key, email text, name varchar(100));
        insert into customers select g, case when g % 5 = 0 then null else 'x' end, 'n' from generate_series(1, 50) g;`));
      await p.change(`alter table customers alter column email set not null;`);
      const change = await planDiffProject(p.spec(), 'main', { source: production.url });
      const notNull = change.findings.find((f) => f.code === C.notNullAdded);
      expect(notNull?.violatingRows).toBe(10);
      expect(planChangeMarkdown(change)).toContain('**10 violating rows in the source.**');
    } finally {
      await production.drop();
    }
  });

  describe('bad input: a clear message and a UserError (exit 2)', () => {
    let planned: GitProject;
    beforeAll(async () => {
      planned = await gitProject(SEED);
      await planned.commit('first plan');
    });

    it('an unknown ref', async () => {
      await expect(planDiffProject(planned.spec(), 'no-such-branch')).rejects.toThrow(/unknown git ref `no-such-branch`/);
      await expect(planDiffProject(planned.spec(), 'no-such-branch')).rejects.toBeInstanceOf(UserError);
    });

    it('a repository with no commits', async () => {
      const p = await copyProject(planned);
      await expect(planDiffProject(p.spec(), 'main')).rejects.toThrow(/has no commits yet/);
    });

    it('a folder outside any repository', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sm-nogit-'));
      writeFileSync(join(dir, 'migration.yaml'), 'version: 1\nname: x\n');
      await expect(planDiffProject(loadSpec(join(dir, 'migration.yaml'), {}), 'main')).rejects.toThrow(/not inside a git repository/);
    });

    it('a spec that does not parse on the base branch', async () => {
      const p = await copyProject(planned);
      writeFileSync(join(p.dir, 'migration.yaml'), 'version: 1\nname: shop\ndata:\n  paralel: 4\n');
      await p.commit('broken spec');
      p.writeSpec();
      const err = await planDiffProject(p.spec(), 'main').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).toMatch(/migration\.yaml at main does not parse[\s\S]*line 4:3 data\.paralel/);
    });

    it('a spec that is new on the branch diffs against nothing', async () => {
      const p = await copyProject(planned);
      writeFileSync(join(p.dir, '.gitignore'), '*\n!.gitignore\n');
      await p.git.add('.gitignore');
      await p.git.commit('nothing yet');
      const change = await planDiffProject(p.spec(), 'main');
      expect(change.steps.length).toBeGreaterThan(0);
      expect(change.steps.every((s) => s.status === 'added')).toBe(true);
      expect(change.notes.join('\n')).toContain('does not exist at `main`');
    });
  });
});
