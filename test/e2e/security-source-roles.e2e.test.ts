import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { bootstrap } from '../../src/bootstrap';
import { runCli } from '../helpers/cli';
import { freshDatabase, withDb } from '../helpers/databases';
import { roleAcl } from '../helpers/role-acl';

/**
 * Issue 14, item 5: the source's own roles. A group role (NOLOGIN) is created on the target with
 * exactly the source's grants, compared with aclexplode over tables, columns, sequences,
 * routines, schemas, types and domains; a login role is mapped onto service_role, which then
 * holds the same privileges. Role names are cluster-wide: unique per run, dropped at the end.
 */
const server = process.env.TEST_DATABASE_URL ? describe : describe.skip;
const admin = process.env.TEST_DATABASE_URL as string;
const tag = `sm_roles_${process.pid}_${Date.now() % 100000}`;
const reader = `${tag}_reader`;
const writer = `${tag}_writer`;
const app = `${tag}_app`;
const clerk = `${tag}_clerk`;

const SOURCE = `
create role ${reader} nologin; create role ${writer} nologin; create role ${app} login; create role ${clerk} nologin;
create schema reports;
create type public.mood as enum ('ok', 'meh');
create domain public.positive as integer check (value > 0);
create table public.items (id serial primary key, note text, mood public.mood, qty public.positive);
create view reports.item_notes as select id, note from public.items;
create function public.item_count() returns bigint language sql stable as 'select count(*) from public.items';
create procedure public.touch(n integer) language sql as 'select n';
insert into public.items (note, mood, qty) values ('a', 'ok', 1), ('b', 'meh', 2);
revoke usage on type public.mood from public; revoke usage on domain public.positive from public;
revoke execute on function public.item_count() from public; revoke execute on procedure public.touch(integer) from public;
grant usage on schema reports to ${reader};
grant select on public.items to ${reader} with grant option;
grant select on reports.item_notes to ${reader};
grant usage on type public.mood to ${reader};
grant usage on domain public.positive to ${writer};
grant execute on function public.item_count() to ${reader}, ${app};
grant execute on procedure public.touch(integer) to ${writer};
grant insert, update (note) on public.items to ${writer};
grant usage, select on sequence public.items_id_seq to ${writer}, ${app};
grant select, insert, update, delete on public.items to ${app};
alter table public.items enable row level security;
create policy readers_see_ok on public.items for select to ${reader} using (mood = 'ok');
create policy clerks_see_all on public.items for select to ${clerk} using (true);
create policy app_sees_meh on public.items for select to authenticated, ${app} using (mood = 'meh');
`;

/** The carried policies on the target: name -> its roles, sorted. */
async function policyRoles(url: string): Promise<Record<string, string[]>> {
  const { rows } = await withDb(url, (db) =>
    db.query<{ policyname: string; roles: string[] }>(
      `select policyname, array(select unnest(roles) order by 1)::text[] as roles from pg_policies
        where schemaname = 'public' and tablename = 'items' order by 1`,
    ),
  );
  return Object.fromEntries(rows.map((r) => [r.policyname, r.roles]));
}

async function dropRoles(): Promise<void> {
  await withDb(admin, async (db) => {
    for (const role of [reader, writer, app, clerk]) await db.exec(`drop role if exists ${role}`);
  });
}

server('the source own roles: created with their grants, or mapped', () => {
  it('carries every grant to a created role exactly and a mapped role onto service_role', async () => {
    const source = await freshDatabase('server', 'rolesrc');
    const target = await freshDatabase('server', 'roletgt');
    const dir = mkdtempSync(join(tmpdir(), 'sm-roles-'));
    try {
      await withDb(source.url, (db) => db.exec(SOURCE));
      await withDb(target.url, (db) => bootstrap(db));
      const env = { SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: target.url };
      const cli = (args: string[]) => runCli(args, { cwd: dir, env });
      expect(cli(['init', '--source', source.url, '--target', target.url, '--name', 'roles']).stderr).toBe('');
      const analyze = cli(['analyze']);
      for (const role of [reader, writer, app]) expect(analyze.stdout + analyze.stderr).toContain(`role ${role}`);
      const spec = parseYaml(readFileSync(join(dir, 'migration.yaml'), 'utf8')) as { security: { roles: unknown } };
      expect(spec.security.roles).toEqual({
        [app]: { treatment: 'map', to: 'service_role' },
        [clerk]: { treatment: 'create' },
        [reader]: { treatment: 'create' },
        [writer]: { treatment: 'create' },
      });
      expect(cli(['plan']).code).toBe(0);
      const before = await withDb(source.url, (db) => roleAcl(db, [reader, writer, app]));
      expect(before.length).toBeGreaterThan(12);
      // The created roles must come from the plan: take them away from the cluster first.
      await withDb(source.url, (db) =>
        db.exec(`drop owned by ${reader}, ${writer}, ${clerk}; drop role ${reader}, ${writer}, ${clerk}`),
      );
      const apply = cli(['apply']);
      expect({ code: apply.code, tail: apply.code === 0 ? '' : (apply.stdout + apply.stderr).slice(-1500) }).toEqual({
        code: 0,
        tail: '',
      });
      await withDb(target.url, async (db) => {
        const created = before.filter((l) => !l.startsWith(`${app} `));
        expect(await roleAcl(db, [reader, writer])).toEqual(created);
        const logins = await db.query<{ rolname: string; rolcanlogin: boolean }>(
          `select rolname, rolcanlogin from pg_roles where rolname = any($1::text[]) order by 1`,
          [[reader, writer]],
        );
        expect(logins.rows).toEqual([
          { rolname: reader, rolcanlogin: false },
          { rolname: writer, rolcanlogin: false },
        ]);
        expect(await roleAcl(db, [app])).toEqual([]);
        const mapped = before.filter((l) => l.startsWith(`${app} `)).map((l) => `service_role ${l.slice(app.length + 1)}`);
        expect(mapped.length).toBeGreaterThan(4);
        const held = new Set(await roleAcl(db, ['service_role']));
        expect(mapped.filter((l) => !held.has(l))).toEqual([]);
      });
      // The source's policies came with their roles: created ones by name, the mapped one as service_role.
      expect(await policyRoles(target.url)).toEqual({
        app_sees_meh: ['authenticated', 'service_role'],
        clerks_see_all: [clerk],
        readers_see_ok: [reader],
      });
      const seen = await withDb(target.url, (db) =>
        db.transaction(async (tx) => {
          await tx.exec(`set local role ${reader}`);
          return (await tx.query<{ note: string }>('select note from public.items order by 1')).rows;
        }),
      );
      expect(seen).toEqual([{ note: 'a' }]);
      // The downs: grants revoked, and the created roles dropped, since nothing else uses them.
      expect(cli(['rollback', '--all']).code).toBe(0);
      const left = await withDb(admin, (db) =>
        db.query(`select rolname from pg_roles where rolname = any($1::text[])`, [[reader, writer, clerk]]),
      );
      expect(left.rows).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await source.drop();
      await target.drop();
      await dropRoles();
    }
  }, 600_000);
});
