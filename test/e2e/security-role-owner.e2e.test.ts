import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { bootstrap } from '../../src/bootstrap';
import { runCli } from '../helpers/cli';
import { freshDatabase, withDb } from '../helpers/databases';

/**
 * Issue 14: ownership by a source role of its own, carried only when the spec asks
 * (`security.roles.<role>: { treatment: create, owns: true }`). Applied as a login role that can
 * create roles but is not a superuser, as `postgres` is on Supabase: it makes itself a member of
 * the created role, hands it the objects (CREATE on public lent for the moment), and can still
 * alter them afterwards. Role names are cluster-wide: unique per run, dropped at the end.
 */
const server = process.env.TEST_DATABASE_URL ? describe : describe.skip;
const admin = process.env.TEST_DATABASE_URL as string;
const tag = `sm_own_${process.pid}_${Date.now() % 100000}`;
const ledger = `${tag}_ledger`;
const migrator = `${tag}_migrator`;

const SOURCE = `
create role ${ledger} nologin;
create schema books;
create table books.entries (id serial primary key, note text);
create view books.recent as select id, note from books.entries order by id desc limit 10;
create function books.total() returns bigint language sql stable as 'select count(*) from books.entries';
create table public.ledger_notes (id integer primary key);
create table public.plain (id integer primary key);
alter schema books owner to ${ledger};
alter table books.entries owner to ${ledger};
alter view books.recent owner to ${ledger};
alter function books.total() owner to ${ledger};
alter table public.ledger_notes owner to ${ledger};
insert into books.entries (note) values ('a'), ('b');
`;

const OWNERS = `select 'schema books' as object, pg_get_userbyid(nspowner)::text as owner from pg_namespace where nspname = 'books'
  union all select c.relkind::text || ' ' || c.oid::regclass::text, pg_get_userbyid(c.relowner)::text from pg_class c
    where c.oid in ('books.entries'::regclass, 'books.entries_id_seq'::regclass, 'books.recent'::regclass,
      'public.ledger_notes'::regclass, 'public.plain'::regclass)
  union all select 'function books.total', pg_get_userbyid(proowner)::text from pg_proc where oid = 'books.total()'::regprocedure
  order by 1`;

function userUrl(url: string, user: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = '';
  return u.toString();
}

server('a created role that owned objects owns them again when the spec says owns', () => {
  it('hands them over as a non-superuser, who can still alter them; rollback gives them back', async () => {
    const source = await freshDatabase('server', 'ownsrc');
    const target = await freshDatabase('server', 'owntgt');
    const dir = mkdtempSync(join(tmpdir(), 'sm-owns-'));
    try {
      await withDb(source.url, (db) => db.exec(SOURCE));
      const dbName = new URL(target.url).pathname.slice(1);
      await withDb(admin, (db) =>
        db.exec(`create role ${migrator} login createrole nosuperuser; alter database ${dbName} owner to ${migrator}`),
      );
      await withDb(target.url, (db) => bootstrap(db));
      const asMigrator = userUrl(target.url, migrator);
      const env = { SOURCE_DATABASE_URL: source.url, SUPABASE_DB_URL: asMigrator };
      const cli = (args: string[]) => runCli(args, { cwd: dir, env });
      expect(cli(['init', '--source', source.url, '--target', asMigrator, '--name', 'owns']).stderr).toBe('');
      const file = join(dir, 'migration.yaml');
      const doc = parseDocument(readFileSync(file, 'utf8'));
      doc.setIn(['security', 'roles', ledger], doc.createNode({ treatment: 'create', owns: true }));
      writeFileSync(file, doc.toString());
      expect(cli(['plan']).code).toBe(0);
      const sourceOwners = await withDb(source.url, (db) => db.query<{ object: string; owner: string }>(OWNERS));
      // The role must come from the plan: take it away from the cluster first.
      await withDb(source.url, (db) => db.exec(`reassign owned by ${ledger} to current_user; drop role ${ledger}`));
      const apply = cli(['apply']);
      expect({ code: apply.code, tail: apply.code === 0 ? '' : (apply.stdout + apply.stderr).slice(-1500) }).toEqual({
        code: 0,
        tail: '',
      });
      await withDb(target.url, async (db) => {
        const owners = sourceOwners.rows.map((r) => ({ ...r, owner: r.owner === ledger ? ledger : migrator }));
        expect((await db.query(OWNERS)).rows).toEqual(owners);
        const create = await db.query(`select has_schema_privilege('${ledger}', 'public', 'CREATE') as c`);
        expect(create.rows).toEqual([{ c: false }]);
      });
      // A later migration, as the same non-superuser: it is a member of the owner.
      await withDb(asMigrator, (db) => db.exec('alter table books.entries add column later text'));
      expect(cli(['rollback', '--all']).code).toBe(0);
      const left = await withDb(admin, (db) => db.query(`select rolname from pg_roles where rolname = $1`, [ledger]));
      expect(left.rows).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await source.drop();
      await target.drop();
      // bootstrap granted the database owner SET on a parameter: a cluster-wide privilege.
      await withDb(admin, async (db) => {
        for (const role of [ledger, migrator])
          await db.exec(`do $$ begin if exists (select from pg_roles where rolname = '${role}') then
            drop owned by ${role}; drop role ${role}; end if; end $$`);
      });
    }
  }, 600_000);
});
