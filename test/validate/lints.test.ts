import { closeNamedPglite, withDb } from '../../src/db';
import { lintDatabase, lintLines, type LintFinding } from '../../src/validate/lints';
import { readSnapshot } from '../../src/commands/project';
import { classifyLints, failingLints } from '../../src/validate/lint-origin';
import { TARGETS } from '../helpers/databases';
import { applyExample, type AppliedExample } from '../e2e/security-helpers';

const serious = (f: LintFinding[]) => lintLines(f.filter((x) => x.level !== 'INFO'));

describe.each(TARGETS)('advisor lints on %s', (kind) => {
  let ex: AppliedExample;
  beforeAll(async () => {
    ex = await applyExample(kind);
  });
  afterAll(async () => {
    await ex?.drop();
    await closeNamedPglite();
  });

  it('finds no ERROR and no WARN caused by the plan on the migrated example; the source\'s own are listed as carried', async () => {
    const findings = await withDb(ex.target.ownerUrl, (db) => lintDatabase(db));
    const onSource = await withDb(ex.source.url, (db) => lintDatabase(db, ['public'], { tolerant: true }));
    const classified = classifyLints(findings, onSource, readSnapshot(ex.spec), ex.spec);
    expect(serious(failingLints(classified))).toEqual([]);
    // Functions other than SECURITY DEFINER ones keep the source's search_path: carried, not caused.
    const carried = classified.filter((f) => f.origin === 'source' && f.name === 'function_search_path_mutable');
    expect(carried.map((f) => f.object)).toContain('public.set_updated_at()');
    expect(carried.every((f) => f.fix.includes('pin_search_path'))).toBe(true);
    // The snapshot alone knows the functions the source left unpinned; anything else found on the
    // target and not on the source is the plan's doing.
    const snap = readSnapshot(ex.spec);
    expect(serious(failingLints(classifyLints(findings, [], snap, ex.spec)))).toEqual([]);
    const dup = { name: 'duplicate_index', level: 'WARN' as const, object: 'public.flagged', detail: 'identical indexes' };
    expect(classifyLints([dup], [], snap, ex.spec)[0].origin).toBe('plan');
    expect(classifyLints([dup], [dup], snap, ex.spec)[0].origin).toBe('source');
    const open = { name: 'rls_disabled_in_public', level: 'ERROR' as const, object: 'public.loose', detail: '' };
    // A plain source's tables without RLS were never exposed: the plan must fix them, not carry them.
    expect(classifyLints([open], [open], snap, ex.spec)[0].origin).toBe('plan');
    // What security.views asks for by name is listed as opened; the same lint on another view is the plan's.
    const views = { 'public.totals': { open: ['authenticated' as const] }, 'public.shown': { rights: 'owner' as const, open: [] } };
    const asked = { ...ex.spec, security: { ...ex.spec.security, views } };
    const lint = (name: string, object: string) => ({ name, level: 'WARN' as const, object, detail: '' });
    const origins = classifyLints(
      [lint('materialized_view_in_api', 'public.totals'), lint('security_definer_view', 'public.shown'), lint('materialized_view_in_api', 'public.shown')],
      [], snap, asked,
    ).map((f) => f.origin);
    expect(origins).toEqual(['opened', 'opened', 'plan']);
    // Tables the spec does not open are reachable by service_role only, which the advisor notes.
    expect(findings.filter((f) => f.name === 'rls_enabled_no_policy').map((f) => f.object)).toContain('public.audit_log');
  });

  it('finds what each lint is about once the target is spoiled', async () => {
    await withDb(ex.target.url, (db) => db.exec(`
      create table public.loose (id int, password text);
      create table public.flagged (id int primary key);
      create policy orphan on public.flagged for select to authenticated using (true);
      create policy mine on public.submissions for update to authenticated using (user_id = auth.uid());
      create policy meta on public.submissions for select to authenticated using ((auth.jwt() -> 'user_metadata' ->> 'x') = 'y');
      create policy open on public.notifications for delete to authenticated using (true);
      create index dup_a on public.flagged (id);
      create view public.plain as select 1 as one;
      create function public.mutable() returns int language sql as 'select 1';
      create function public.definer() returns int language sql security definer set search_path = '' as 'select 1';
      grant select on public.leaderboard to anon;
      create index half_built on public.flagged (id);
      update pg_index set indisvalid = false where indexrelid = 'public.half_built'::regclass;
    `));
    const findings = await withDb(ex.target.ownerUrl, (db) => lintDatabase(db));
    const got = new Set(findings.map((f) => `${f.name} ${f.object}`));
    for (const expected of [
      'rls_disabled_in_public public.loose',
      'sensitive_columns_exposed public.loose.password',
      'policy_exists_rls_disabled public.flagged',
      'auth_rls_initplan public.submissions mine',
      'rls_references_user_metadata public.submissions meta',
      'multiple_permissive_policies public.submissions authenticated r',
      'rls_policy_always_true public.notifications open',
      'duplicate_index public.flagged',
      'invalid_index public.flagged half_built',
      'security_definer_view public.plain',
      'function_search_path_mutable public.mutable()',
      'anon_security_definer_function_executable public.definer()',
      'authenticated_security_definer_function_executable public.definer()',
      'materialized_view_in_api public.leaderboard',
      'no_primary_key public.loose',
    ]) expect(got).toContain(expected);
    expect(got).not.toContain('auth_rls_initplan public.submissions authenticated can select');
  });
});
