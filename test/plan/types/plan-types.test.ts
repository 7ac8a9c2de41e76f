import { planTypes, typesSchemas } from '../../../src/plan/types/index';
import { column, emptySnapshot, table } from '../../helpers/snapshot';
import { mapping, specFor } from '../../helpers/spec';
import { arg, fk, fn, key, view } from './builders';
import { staleViewFacts } from '../../../src/plan/types/view-writes';

const spec = specFor('/work/app');

/** The lines of one entry `name: {` ... its closing brace, at the indentation it has. */
function entry(content: string, name: string, indent = 6): string {
  const lines = content.split('\n');
  const start = lines.findIndex((l) => l === `${' '.repeat(indent)}${name}: {` || l.startsWith(`${' '.repeat(indent)}${name}:`));
  if (start < 0) throw new Error(`no entry ${name}`);
  const end = lines.findIndex((l, i) => i > start && /^\s*}$/.test(l) && l.length === indent + 1);
  return lines.slice(start, end === -1 ? start + 1 : end + 1).join('\n');
}

const users = table('public', 'users', [
  column('id', 'bigint', { typeName: 'int8', notNull: true, identity: 'a' }),
  column('email', 'text', { notNull: true }),
  column('nick', 'character varying(20)', { typeName: 'varchar' }),
  column('mood', 'public.mood', { typeSchema: 'public', typeName: 'mood', notNull: true, default: "'ok'::public.mood" }),
  column('moods', 'public.mood[]', { typeSchema: 'public', typeName: 'mood', isArray: true }),
  column('prefs', 'jsonb', { notNull: true, default: "'{}'::jsonb" }),
  column('code', 'public.code', { typeSchema: 'public', typeName: 'code' }),
  column('upper_email', 'text', { generated: 'upper(email)' }),
], { constraints: [key('users_pkey', 'p', ['id'])] });

const profiles = table('public', 'profiles', [
  column('user_id', 'bigint', { typeName: 'int8', notNull: true }),
  column('bio', 'text'),
], { constraints: [key('profiles_pkey', 'p', ['user_id']), fk('profiles_user_id_fkey', ['user_id'], 'public.users', ['id'])] });

const posts = table('public', 'posts', [
  column('id', 'integer', { typeName: 'int4', notNull: true, identity: 'd' }),
  column('author_id', 'bigint', { typeName: 'int8', notNull: true }),
], { constraints: [key('posts_pkey', 'p', ['id']), fk('posts_author_id_fkey', ['author_id'], 'public.users', ['id'])] });

const snapshot = emptySnapshot({
  enums: [{ schema: 'public', name: 'mood', values: ['ok', 'sad'], comment: null }],
  domains: [{ schema: 'public', name: 'code', baseType: 'character varying(8)', notNull: true, default: null, collation: null, checks: [], comment: null }],
  tables: [users, profiles, posts],
});

describe('planTypes: tables', () => {
  const content = planTypes(snapshot, spec).content;

  it('prints Row, Insert and Update as Supabase does: nullability, defaults, identity, generated, domains, enums', () => {
    expect(entry(content, 'users')).toBe(`      users: {
        Row: {
          code: string
          email: string
          id: number
          mood: Database["public"]["Enums"]["mood"]
          moods: Database["public"]["Enums"]["mood"][] | null
          nick: string | null
          prefs: NonNullable<Json>
          upper_email: string | null
        }
        Insert: {
          code: string
          email: string
          id?: never
          mood?: Database["public"]["Enums"]["mood"]
          moods?: Database["public"]["Enums"]["mood"][] | null
          nick?: string | null
          prefs?: NonNullable<Json>
          upper_email?: never
        }
        Update: {
          code?: string
          email?: string
          id?: never
          mood?: Database["public"]["Enums"]["mood"]
          moods?: Database["public"]["Enums"]["mood"][] | null
          nick?: string | null
          prefs?: NonNullable<Json>
          upper_email?: never
        }
        Relationships: []
      }`);
  });

  it('lists foreign keys with one-to-one detection from the referencing side keys', () => {
    expect(entry(content, 'profiles')).toContain(`        Relationships: [
          {
            foreignKeyName: "profiles_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: true
            referencedRelation: "users"
            referencedColumns: ["id"]
          },
        ]`);
    expect(entry(content, 'posts')).toContain('isOneToOne: false');
  });

  it('sorts tables by name and prints enums in Enums and Constants', () => {
    expect(content.indexOf('      posts: {')).toBeLessThan(content.indexOf('      profiles: {'));
    expect(content).toContain('    Enums: {\n      mood: "ok" | "sad"\n    }');
    expect(content).toContain('export const Constants = {\n  public: {\n    Enums: {\n      mood: ["ok", "sad"],\n    },\n  },\n} as const\n');
    expect(content).toContain('    CompositeTypes: {\n      [_ in never]: never\n    }');
  });

  it('is deterministic: the same bytes whatever the order of the snapshot', () => {
    const shuffled = { ...snapshot, tables: [...snapshot.tables].reverse().map((t) => ({ ...t, columns: [...t.columns].reverse() })) };
    expect(planTypes(shuffled, spec).content).toBe(content);
  });
});

describe('planTypes: views', () => {
  // writes and origins as introspection reads them from Postgres for these definitions
  const simple = view('public', 'active_users', ' SELECT u.id,\n    u.email AS mail,\n    upper(u.email) AS shout\n   FROM public.users u\n  WHERE u.nick IS NOT NULL;', [['id', 'bigint'], ['mail', 'text'], ['shout', 'text']], {
    writes: { insert: true, update: true, columns: ['id', 'mail'] },
    origins: { id: ['public', 'users', 'id'], mail: ['public', 'users', 'email'] },
  });
  const grouped = view('public', 'post_counts', ' SELECT p.author_id,\n    count(*) AS posts\n   FROM public.posts p\n  GROUP BY p.author_id;', [['author_id', 'bigint'], ['posts', 'bigint']], {
    writes: { insert: false, update: false, columns: [] },
    origins: { author_id: ['public', 'posts', 'author_id'] },
  });
  const onGrouped = view('public', 'top_authors', ' SELECT c.author_id\n   FROM public.post_counts c;', [['author_id', 'bigint']], {
    writes: { insert: false, update: false, columns: [] },
    origins: { author_id: ['public', 'post_counts', 'author_id'] },
  });
  const content = planTypes({ ...snapshot, views: [simple, grouped, onGrouped] }, spec).content;

  it('gives a simple view Insert/Update, with expression columns `never`', () => {
    const e = entry(content, 'active_users');
    expect(e).toContain('        Insert: {\n          id?: number | null\n          mail?: string | null\n          shout?: never\n        }');
    expect(e).toContain('        Update: {');
  });

  it('gives grouped views, and views over them, only Row', () => {
    expect(entry(content, 'post_counts')).not.toContain('Insert');
    expect(entry(content, 'top_authors')).not.toContain('Insert');
  });

  it('derives relationships through columns a view takes from a key, as PostgREST does', () => {
    // posts -> users is also posts -> active_users (its id is users.id), and post_counts -> users.
    expect(entry(content, 'posts')).toContain('referencedRelation: "active_users"');
    expect(entry(content, 'post_counts')).toContain('foreignKeyName: "posts_author_id_fkey"\n            columns: ["author_id"]');
    expect(entry(content, 'top_authors')).toContain('referencedRelation: "users"');
  });

  it('types the views of a snapshot written before the view facts read-only, and plan says why', () => {
    const old = [simple, grouped, onGrouped].map(({ writes: _w, origins: _o, ...rest }) => rest);
    const planned = planTypes({ ...snapshot, views: old }, spec).content;
    expect(entry(planned, 'active_users')).not.toContain('Insert');
    expect(entry(planned, 'posts')).not.toContain('referencedRelation: "active_users"');
    expect(staleViewFacts({ ...snapshot, views: old })[0]).toMatch(/predates writable-view facts \(public\.active_users, public\.post_counts, public\.top_authors\).*supamigrate init/);
    expect(staleViewFacts({ ...snapshot, views: [simple] })).toEqual([]);
  });
});

describe('planTypes: functions', () => {
  const fns = [
    fn('search', [arg('q', 'text')], 'SETOF public.posts'),
    fn('stats', [arg('since', 'date', true), arg('n', 'integer', false, 't'), arg('avg', 'numeric', false, 't')], 'TABLE(n integer, avg numeric)'),
    fn('add', [arg('a', 'integer'), arg('b', 'integer')], 'integer'),
    fn('add', [arg('a', 'text'), arg('b', 'text')], 'text'),
    fn('touch', [], 'trigger'),
    fn('unnamed_int', [arg('', 'integer')], 'integer'),
    fn('ping', [], 'void'),
  ];
  const content = planTypes({ ...snapshot, functions: fns }, spec).content;

  it('returns arrays of rows for setof a table, with SetofOptions', () => {
    expect(entry(content, 'search')).toBe(`      search: {
        Args: { q: string }
        Returns: {
          author_id: number
          id: number
        }[]
        SetofOptions: {
          from: "*"
          to: "posts"
          isOneToOne: false
          isSetofReturn: true
        }
      }`);
  });

  it('prints RETURNS TABLE as an array of objects and optional defaulted args', () => {
    expect(entry(content, 'stats')).toContain('Args: { since?: string }');
    expect(entry(content, 'stats')).toContain('Returns: {\n          avg: number\n          n: number\n        }[]');
  });

  it('prints overloads as a union and one-line signatures when they fit', () => {
    expect(content).toContain(`      add:
        | { Args: { a: number; b: number }; Returns: number }
        | { Args: { a: string; b: string }; Returns: string }`);
    expect(content).toContain('      ping: { Args: Record<PropertyKey, never>; Returns: undefined }');
  });

  it('leaves out trigger functions and functions PostgREST cannot call', () => {
    expect(content).not.toContain('touch');
    expect(content).not.toContain('unnamed_int');
  });
});

describe('planTypes: layout, schemas and output', () => {
  it('breaks a long enum into a leading-bar union and a long Constants array into lines', () => {
    const values = ['first_value', 'second_value', 'third_value', 'fourth_value', 'fifth_value'];
    const c = planTypes(emptySnapshot({ enums: [{ schema: 'public', name: 'step', values, comment: null }] }), spec).content;
    expect(c).toContain('      step:\n        | "first_value"\n        | "second_value"');
    expect(c).toContain('      step: [\n        "first_value",\n');
  });

  it('describes the migrated schemas after renames, and public, unless the spec lists them', () => {
    const s = emptySnapshot({
      schemas: [{ name: 'app', owner: 'postgres', comment: null }],
      tables: [table('app', 'things', [column('id', 'integer', { typeName: 'int4', notNull: true })])],
    });
    const renamed = { ...spec, schema: mapping({ renameSchemas: { app: 'core' } }) };
    expect(typesSchemas(s, renamed)).toEqual(['core', 'public']);
    const c = planTypes(s, renamed).content;
    expect(c).toContain('export type Database = {\n  core: {\n    Tables: {\n      things: {');
    expect(c).toContain('  public: {\n    Tables: {\n      [_ in never]: never\n    }');
    const only = { ...spec, types: { schemas: ['public'] } };
    expect(planTypes(s, only).content).not.toContain('things');
  });

  it('writes to types.output, by default supabase/types/database.types.ts', () => {
    expect(planTypes(snapshot, spec).path).toBe('supabase/types/database.types.ts');
    expect(planTypes(snapshot, { ...spec, types: { output: 'web/db.ts' } }).path).toBe('web/db.ts');
  });
});
