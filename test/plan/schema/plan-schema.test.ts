import { planSchema } from '../../../src/plan/schema';
import { column, emptySnapshot, table } from '../../helpers/snapshot';
import { mapping } from '../../helpers/spec';

const users = table('public', 'users', [
  column('id', 'uuid', { notNull: true, default: 'gen_random_uuid()' }),
  column('email', 'public.citext', { typeSchema: 'public', typeName: 'citext' }),
  column('settings', 'json'),
], {
  constraints: [
    { name: 'users_pkey', kind: 'p', definition: 'PRIMARY KEY (id)', columns: ['id'], refTable: null, refColumns: [], validated: true, deferrable: false, comment: null },
    { name: 'email_len', kind: 'c', definition: 'CHECK ((length((email)::text) < 200))', columns: ['email'], refTable: null, refColumns: [], validated: true, deferrable: false, comment: null },
  ],
  indexes: [
    { name: 'users_pkey', definition: 'CREATE UNIQUE INDEX users_pkey ON public.users USING btree (id)', unique: true, primary: true, constraint: 'users_pkey', columns: ['id'], partial: false, comment: null },
    { name: 'users_lower_email', definition: 'CREATE INDEX users_lower_email ON public.users USING btree (lower((email)::text))', unique: false, primary: false, constraint: null, columns: [], partial: false, comment: null },
  ],
  comment: "people's accounts",
});

const posts = table('app', 'posts', [
  column('id', 'bigint', { notNull: true, identity: 'a', identitySequence: { start: '1', increment: '1', min: '1', max: '9223372036854775807', cache: '1', cycle: false } }),
  column('author_id', 'uuid'),
], {
  constraints: [
    { name: 'posts_author_fk', kind: 'f', definition: 'FOREIGN KEY (author_id) REFERENCES public.users(id)', columns: ['author_id'], refTable: 'public.users', refColumns: ['id'], validated: true, deferrable: false, comment: null },
  ],
  rlsEnabled: true,
});

const snapshot = emptySnapshot({
  schemas: [
    { name: 'app', owner: 'postgres', comment: null },
    { name: 'public', owner: 'postgres', comment: null },
  ],
  extensions: [{ name: 'citext', schema: 'public', version: '1.6', members: ['public.citext'] }],
  tables: [posts, users],
  views: [
    { schema: 'app', name: 'v2', materialized: false, definition: ' SELECT v1.id FROM app.v1;', columns: [], options: [], dependsOn: ['app.v1'], indexes: [], owner: 'postgres', comment: null, grants: [] },
    { schema: 'app', name: 'v1', materialized: false, definition: ' SELECT posts.id FROM app.posts;', columns: [], options: [], dependsOn: ['app.posts'], indexes: [], owner: 'postgres', comment: null, grants: [] },
  ],
  policies: [
    { schema: 'app', table: 'posts', name: 'own', permissive: true, command: 'r', roles: ['authenticated'], using: '(author_id = auth.uid())', withCheck: null },
    { schema: 'app', table: 'posts', name: 'legacy', permissive: true, command: 'r', roles: ['legacy_app'], using: 'true', withCheck: null },
  ],
});

describe('planSchema', () => {
  const steps = planSchema(snapshot, mapping());
  const ids = steps.map((s) => s.id);
  const sqlOf = (id: string) => steps.find((s) => s.id === id)?.sql;

  it('orders pre-data, post-data, then security like pg_dump sections', () => {
    expect(ids).toEqual([
      'schema:app',
      'extension:citext',
      'table:app.posts',
      'table:public.users',
      'view:app.v1',
      'view:app.v2',
      'primary-key:public.users.users_pkey',
      'index:public.users_lower_email',
      'foreign-key:app.posts.posts_author_fk',
      'rls:app.posts',
      'policy:app.posts.own',
      'policy:app.posts.legacy',
    ]);
    expect(new Set(steps.map((s) => s.phase))).toEqual(new Set(['pre-data', 'post-data', 'security']));
  });

  it('writes tables with quoted names, inline checks, identity options and comments', () => {
    expect(sqlOf('table:public.users')).toBe(
      [
        'create table "public"."users" (',
        '  "id" uuid default gen_random_uuid() not null,',
        '  "email" extensions.citext,',
        '  "settings" json,',
        '  constraint "email_len" CHECK ((length((email)::text) < 200))',
        ');',
        `comment on table "public"."users" is 'people''s accounts';`,
        '',
      ].join('\n'),
    );
    expect(sqlOf('table:app.posts')).toContain(
      '"id" bigint generated always as identity (start with 1 increment by 1 minvalue 1 maxvalue 9223372036854775807 cache 1) not null',
    );
  });

  it('moves extension objects to the extensions schema and creates extensions only when absent', () => {
    const ext = steps.find((s) => s.id === 'extension:citext');
    expect(ext?.sql).toContain('create extension "citext" with schema extensions;');
    expect(ext?.sql).toContain("if not exists (select 1 from pg_catalog.pg_extension where extname = 'citext')");
    expect(ext?.down).toContain('drop extension "citext";');
  });

  it('gives every step a down that reverses it', () => {
    for (const s of steps) expect(s.down.trim()).not.toBe('');
    expect(steps.find((s) => s.id === 'foreign-key:app.posts.posts_author_fk')?.down).toBe('alter table "app"."posts" drop constraint "posts_author_fk";\n');
    expect(steps.find((s) => s.id === 'index:public.users_lower_email')?.down).toBe('drop index "public"."users_lower_email";\n');
  });

  it('carries policies naming the source own roles, under the name roleOf gives (the plan makes the roles)', () => {
    expect(sqlOf('policy:app.posts.legacy')).toContain('  to "legacy_app"\n');
    const mapped = planSchema(snapshot, mapping(), (r) => (r === 'legacy_app' ? 'service_role' : r));
    expect(mapped.find((s) => s.id === 'policy:app.posts.legacy')?.sql).toContain('  to "service_role"\n');
    expect(sqlOf('policy:app.posts.own')).toBe(
      'create policy "own" on "app"."posts"\n  as permissive\n  for select\n  to "authenticated"\n  using ((author_id = auth.uid()));\n',
    );
  });

  it('renames schemas inside definitions but not inside string literals', () => {
    const renamed = planSchema(snapshot, mapping({ renameSchemas: { app: 'blog' } }));
    const v1 = renamed.find((s) => s.id === 'view:blog.v1');
    expect(v1?.sql).toBe('create view "blog"."v1" as\n SELECT posts.id FROM blog.posts;\n');
    expect(renamed.map((s) => s.id)).toContain('schema:blog');
  });

  it('drops views that read an excluded table, and foreign keys to it', () => {
    const some = planSchema(snapshot, mapping({ excludeTables: ['app.*'] }));
    expect(some.map((s) => s.id)).toEqual(['schema:app', 'extension:citext', 'table:public.users', 'primary-key:public.users.users_pkey', 'index:public.users_lower_email']);
  });

  it('maps json to jsonb when asked', () => {
    const j = planSchema(snapshot, mapping({ typeMappings: { serialToIdentity: false, jsonToJsonb: true } }));
    expect(j.find((s) => s.id === 'table:public.users')?.sql).toContain('"settings" jsonb,');
  });

  it('is deterministic: the same input in another order gives the same steps', () => {
    const shuffled = { ...snapshot, tables: [...snapshot.tables].reverse(), views: [...snapshot.views].reverse() };
    expect(planSchema(shuffled, mapping())).toEqual(steps);
  });
});
