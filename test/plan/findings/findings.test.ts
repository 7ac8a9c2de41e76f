import { findFindings, FINDING_CODES as C, type Side, withViolations } from '../../../src/plan/findings';
import { classifyTypeChange } from '../../../src/plan/findings/types-narrowing';
import type { Step } from '../../../src/plan/types';
import type { Spec } from '../../../src/spec/types';
import { column, emptySnapshot, table } from '../../helpers/snapshot';
import { specFor } from '../../helpers/spec';

const step = (id: string, kind: string, sql: string, phase: Step['phase'] = 'post-data'): Step => ({ id, kind, phase, sql, down: '', checksum: `sum:${sql}` });

const users = (over: Parameters<typeof table>[3] = {}, cols = [column('id', 'integer', { notNull: true }), column('email', 'text'), column('name', 'character varying(100)')]) =>
  table('public', 'users', cols, { estimatedRows: 500_000, ...over });

const side = (tables: ReturnType<typeof table>[], steps: Step[] = [], spec: Spec = specFor('/p')): Side => ({
  spec,
  snapshot: emptySnapshot({ tables }),
  steps,
});

const codes = (base: Side, head: Side) => findFindings(base, head).map((f) => `${f.code} ${f.object}`);

describe('findings', () => {
  it('finds nothing when nothing changed', () => {
    const s = side([users()], [step('table:public.users', 'table', 'alter table "public"."users" enable row level security;')]);
    expect(findFindings(s, s)).toEqual([]);
  });

  it('drop table, column and schema are destructive errors with the allow-list fix', () => {
    const base = side([users(), table('public', 'orders', [column('id', 'integer')]), table('archive', 'old', [column('id', 'integer')])]);
    (base.snapshot as { schemas: unknown[] }).schemas.push({ name: 'archive', owner: 'postgres', comment: null });
    const head = side([users({}, [column('id', 'integer', { notNull: true }), column('name', 'character varying(100)')])], [], specFor('/p', { schema: { ...specFor('/p').schema, includeSchemas: ['public'] } }));
    const found = findFindings(base, head);
    expect(found.map((f) => `${f.code} ${f.object}`)).toEqual([
      `${C.dropTable} archive.old`,
      `${C.dropTable} public.orders`,
      `${C.dropColumn} public.users.email`,
      `${C.dropSchema} archive`,
    ]);
    expect(found.every((f) => f.severity === 'error' && f.category === 'destructive')).toBe(true);
    expect(found[0].fix).toContain(`add \`${found[0].object}\` to evolution.allow_destructive in migration.yaml`);
  });

  it('a drop named in evolution.allow_destructive is reported as allowed, after the errors', () => {
    const base = side([users(), table('public', 'orders', [column('id', 'integer')])]);
    const spec = { ...specFor('/p'), evolution: { allowDestructive: ['public.orders'] } } as unknown as Spec;
    const head = side([users({}, [column('id', 'integer', { notNull: true }), column('name', 'character varying(100)')])], [], spec);
    const found = findFindings(base, head);
    expect(found.map((f) => [f.code, f.object, f.allowed])).toEqual([
      [C.dropColumn, 'public.users.email', false],
      [C.dropTable, 'public.orders', true],
    ]);
  });

  it('NOT NULL, UNIQUE and narrowing on a table with data carry the query that counts violating rows', () => {
    const base = side([users()]);
    const head = side([
      users({ constraints: [{ name: 'users_email_key', kind: 'u', definition: 'UNIQUE (email)', columns: ['email'], refTable: null, refColumns: [], validated: true, deferrable: false, comment: null }] }, [
        column('id', 'integer', { notNull: true }),
        column('email', 'text', { notNull: true }),
        column('name', 'character varying(40)'),
      ]),
    ]);
    const found = findFindings(base, head);
    const by = (code: string) => found.find((f) => f.code === code);
    expect(by(C.notNullAdded)?.countSql).toBe('select count(*) from "public"."users" where "email" is null');
    expect(by(C.uniqueAdded)?.countSql).toContain('group by "email" having count(*) > 1');
    expect(by(C.typeNarrowed)?.countSql).toBe('select count(*) from "public"."users" where length("name") > 40');
    expect(by(C.tableRewrite)?.object).toBe('public.users.name');
    const counted = withViolations(found, new Map([[by(C.notNullAdded)?.countSql as string, 7]]));
    expect(counted.find((f) => f.code === C.notNullAdded)?.violatingRows).toBe(7);
    expect(counted.find((f) => f.code === C.uniqueAdded)?.violatingRows).toBeUndefined();
  });

  it('the same changes on an empty table are not data findings', () => {
    const base = side([users({ estimatedRows: 0 })]);
    const head = side([users({ estimatedRows: 0 }, [column('id', 'integer', { notNull: true }), column('email', 'text', { notNull: true }), column('name', 'character varying(40)')])]);
    expect(codes(base, head)).toEqual([]);
  });

  it('a new index without CONCURRENTLY on a large existing table is a locking finding; on a small one it is not', () => {
    const idx = step('index:public.users_email', 'index', 'CREATE INDEX users_email ON public.users USING btree (email);\n');
    expect(codes(side([users()]), side([users()], [idx]))).toEqual([`${C.indexLocks} index:public.users_email`]);
    expect(codes(side([users({ estimatedRows: 10 })]), side([users({ estimatedRows: 10 })], [idx]))).toEqual([]);
    const concurrent = step('index:public.users_email', 'index', 'CREATE INDEX CONCURRENTLY users_email ON public.users USING btree (email);\n');
    expect(codes(side([users()]), side([users()], [concurrent]))).toEqual([]);
  });

  it('adding a column with a volatile default rewrites the table', () => {
    const head = side([users({}, [...users().columns, column('token', 'uuid', { default: 'gen_random_uuid()' })])]);
    expect(codes(side([users()]), head)).toEqual([`${C.tableRewrite} public.users.token`]);
  });

  it('a new table in an exposed schema without RLS is a security error; one with RLS is not', () => {
    const orders = table('public', 'orders', [column('id', 'integer')]);
    const hidden = table('internal', 'jobs', [column('id', 'integer')]);
    const rls = step('security:table:public.users', 'table-access', 'alter table "public"."users" enable row level security;\n', 'security');
    expect(codes(side([users()], [rls]), side([users(), orders, hidden], [rls]))).toEqual([`${C.tableWithoutRls} public.orders`]);
  });

  it('policies: always true for writes, and reading user_metadata, are security errors; always-true reads are not', () => {
    const policy = (id: string, sql: string) => step(id, 'policy', sql, 'security');
    const head = side([users()], [
      policy('p1', 'create policy "anyone writes" on "public"."users"\n  as permissive\n  for update\n  to authenticated\n  using (true)\n  with check (true);\n'),
      policy('p2', 'create policy "public read" on "public"."users"\n  for select\n  to anon\n  using (true);\n'),
      policy('p3', "create policy \"meta\" on \"public\".\"users\"\n  for select\n  to authenticated\n  using ((auth.jwt() -> 'user_metadata' ->> 'role') = 'admin');\n"),
    ]);
    expect(codes(side([users()]), head)).toEqual([`${C.policyAlwaysTrue} public.users policy "anyone writes"`, `${C.policyUserMetadata} public.users policy "meta"`]);
  });

  it('classifies type changes: widening is free, narrowing has a predicate, other changes rewrite', () => {
    expect(classifyTypeChange('character varying(10)', 'text')).toEqual({ narrowing: false, rewrite: false, violates: null });
    expect(classifyTypeChange('character varying(10)', 'character varying(20)').rewrite).toBe(false);
    expect(classifyTypeChange('text', 'character varying(5)').violates).toBe('length($col) > 5');
    expect(classifyTypeChange('bigint', 'integer').violates).toBe('$col not between -2147483648 and 2147483647');
    expect(classifyTypeChange('numeric(10,2)', 'numeric(6,2)').violates).toBe('abs($col) >= 1e4');
    expect(classifyTypeChange('numeric(6,2)', 'numeric(10,2)').narrowing).toBe(false);
    expect(classifyTypeChange('integer', 'text')).toEqual({ narrowing: false, rewrite: true, violates: null });
  });
});
