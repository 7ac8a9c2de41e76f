import { planProject } from '../../src/commands/plan';
import { rollbackProject } from '../../src/commands/target';
import { closeNamedPglite, withDb } from '../../src/db';
import { introspect } from '../../src/introspect';
import { compareSchemas } from '../../src/validate';
import { withoutPlannedSecurity } from '../../src/validate/security-diff';
import { TARGETS } from '../helpers/databases';
import { applyExample, type AppliedExample } from './security-helpers';

describe.each(TARGETS)('security plan of the example on %s', (kind) => {
  let ex: AppliedExample;
  beforeAll(async () => {
    ex = await applyExample(kind);
  });
  afterAll(async () => {
    await ex?.drop();
    await closeNamedPglite();
  });

  it('plans the same bytes again, pgTAP files included', () => {
    expect(planProject(ex.spec, { check: true }).changed).toEqual([]);
  });

  it('turns RLS on for every public table', async () => {
    const rows = await withDb(ex.target.url, (db) => db.query<{ name: string; rls: boolean }>(`select c.relname as name, c.relrowsecurity as rls from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') order by 1`));
    expect(rows.rows.length).toBeGreaterThan(20);
    expect(rows.rows.filter((r) => !r.rls)).toEqual([]);
  });

  it('schema parity explains exactly the differences the security plan makes', async () => {
    const filter = { includeSchemas: ex.spec.schema.includeSchemas, excludeSchemas: ex.spec.schema.excludeSchemas };
    const compare = async () => {
      const source = await withDb(ex.source.url, (db) => introspect(db, filter));
      const target = await withDb(ex.target.url, (db) => introspect(db));
      const raw = compareSchemas(source, target, ex.spec.schema);
      return { raw, kept: withoutPlannedSecurity(raw, source, ex.spec) };
    };
    const before = await compare();
    expect(before.raw.map((d) => d.object)).toEqual(expect.arrayContaining(['table public.users', 'policy public.users.authenticated can select', 'function public.write_audit()']));
    expect(before.kept).toEqual([]);
    await withDb(ex.target.url, (db) => db.exec('alter table public.users add column extra int; create index users_extra_idx on public.users (extra); alter function public.write_audit() set work_mem = \'8MB\';'));
    const after = await compare();
    expect(after.kept.map((d) => `${d.kind} ${d.object}`)).toEqual(['unexpected column public.users.extra', 'different function public.write_audit()', 'unexpected index public.users.users_extra_idx']);
  });

  it('rolls every security step back', async () => {
    const r = await rollbackProject(ex.spec, { all: true });
    expect(r).toMatchObject({ ok: true, remaining: 0 });
    const left = await withDb(ex.target.url, (db) => db.query<{ n: string }>(`select count(*)::text as n from pg_namespace where nspname in ('private', 'public') and exists (select 1 from pg_class c where c.relnamespace = pg_namespace.oid and c.relkind = 'r')`));
    expect(left.rows[0].n).toBe('0');
    const helper = await withDb(ex.target.url, (db) => db.query(`select 1 from pg_namespace where nspname = 'private'`));
    expect(helper.rows).toEqual([]);
  });
});
