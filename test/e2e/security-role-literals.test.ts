import { bootstrap } from '../../src/bootstrap';
import { closeNamedPglite, type Db } from '../../src/db';
import { introspect } from '../../src/introspect';
import { buildPlan } from '../../src/plan';
import { freshDatabase, TARGETS, withDb } from '../helpers/databases';
import { mapping, specFor } from '../helpers/spec';

/**
 * Issue 14: a source role that security.roles maps onto a Supabase role is named inside policy
 * expressions too. The source's clerk sees and writes tickets through `pg_has_role('clerk', ...)`,
 * `current_user = 'clerk'` and `current_user in ('clerk')`; mapped onto authenticated, the target's
 * authenticated must see and write exactly the same, and the literal 'clerk' that is data
 * (`kind = 'clerk'`) must stay. Roles are cluster-wide on the server: unique per run.
 */
const tag = `sm_rolelit_${process.pid}_${Date.now() % 100000}`;
const clerk = `${tag}_clerk`;
const outsider = `${tag}_outsider`;

const SOURCE = `
create role ${clerk} nologin; create role ${outsider} nologin;
create table public.tickets (id int primary key, kind text not null, note text not null);
insert into public.tickets values (1, 'clerk', 'a'), (2, 'shared', 'b'), (3, 'other', 'c');
grant select, insert on public.tickets to ${clerk}, ${outsider};
alter table public.tickets enable row level security;
create policy member_sees_clerk_rows on public.tickets for select using (pg_has_role('${clerk}', 'member') and kind = 'clerk');
create policy clerk_sees_shared on public.tickets for select using (current_user = '${clerk}' and kind = 'shared');
create policy clerk_inserts on public.tickets for insert with check (current_user in ('${clerk}') and note <> '${clerk}');
`;

/** What a role sees and which inserts it may make, in a transaction rolled back. */
async function behaviour(db: Db, role: string) {
  const attempt = async (note: string) => {
    await db.exec('begin');
    try {
      await db.exec(`set local role ${role}`);
      await db.query(`insert into public.tickets values (10, 'new', $1)`, [note]);
      return 'inserted';
    } catch (e) {
      return (e as Error).message.replace(role, '<role>');
    } finally {
      await db.exec('rollback');
    }
  };
  await db.exec('begin');
  let seen: number[];
  try {
    await db.exec(`set local role ${role}`);
    seen = (await db.query<{ id: number }>('select id from public.tickets order by id')).rows.map((r) => Number(r.id));
  } finally {
    await db.exec('rollback');
  }
  return { seen, plain: await attempt('fine'), named: await attempt(clerk) };
}

describe.each(TARGETS)('policies naming a mapped source role (%s)', (kind) => {
  afterAll(() => closeNamedPglite());

  it('behave on the target for the Supabase role as they did on the source for the mapped role', async () => {
    const source = await freshDatabase(kind, 'rolelitsrc');
    const target = await freshDatabase(kind, 'rolelittgt');
    try {
      await withDb(source.url, (db) => db.exec(SOURCE));
      const snapshot = await withDb(source.url, (db) => introspect(db, { includeSchemas: ['public'] }));
      const spec = specFor('/p', {
        schema: mapping({ includeSchemas: ['public'] }),
        security: { roles: { [clerk]: { treatment: 'map', to: 'authenticated' } } },
      });
      const steps = buildPlan(spec, snapshot).steps;
      expect(steps.find((s) => s.id === 'policy:public.tickets.clerk_sees_shared')?.sql).toContain(
        `(CURRENT_USER = 'authenticated'::name)`,
      );
      const onSource = await withDb(source.url, async (db) => [await behaviour(db, clerk), await behaviour(db, outsider)]);
      expect(onSource).toEqual([
        { seen: [1, 2], plain: 'inserted', named: expect.stringMatching(/row-level security/) },
        { seen: [], plain: expect.stringMatching(/row-level security/), named: expect.stringMatching(/row-level security/) },
      ]);
      // The outsider is created on the target as the source had it; the clerk is not.
      await withDb(source.url, (db) => db.exec(`drop owned by ${outsider}; drop role ${outsider}`));
      const onTarget = await withDb(target.url, async (db) => {
        await bootstrap(db);
        for (const s of steps.filter((x) => x.phase !== 'data')) await db.exec(s.sql);
        await db.exec(`insert into public.tickets values (1, 'clerk', 'a'), (2, 'shared', 'b'), (3, 'other', 'c')`);
        return [await behaviour(db, 'authenticated'), await behaviour(db, outsider)];
      });
      expect(onTarget).toEqual(onSource);
    } finally {
      await source.drop();
      await target.drop();
      if (kind === 'server') {
        await withDb(process.env.TEST_DATABASE_URL as string, (db) =>
          db.exec(`drop role if exists ${clerk}; drop role if exists ${outsider}`),
        );
      }
    }
  }, 300_000);
});
