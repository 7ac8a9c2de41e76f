import { analyzeRelationships } from '../../src/analyze/relationships';
import { column, fk, id, snapshot, table } from './builder';

const ref = (name: string) => column(name, 'int8');

describe('analyzeRelationships', () => {
  const s = snapshot({
    tables: [
      table('public.enrollments', [id(), ref('user_id'), ref('course_id')], {
        fks: [fk('enrollments_user_id_fkey', 'user_id', 'public.users'), fk('enrollments_course_id_fkey', 'course_id', 'public.courses')],
      }),
      table('public.courses', [id(), ref('school_id')], { fks: [fk('courses_school_id_fkey', 'school_id', 'public.schools')] }),
      table('public.users', [id(), ref('school_id')], { fks: [fk('users_school_id_fkey', 'school_id', 'public.schools')] }),
      table('public.schools', [id()]),
      table('public.settings', [id()]),
      table('public.profiles', [id('uuid')], { fks: [fk('profiles_id_fkey', 'id', 'auth.users')] }),
    ],
  });

  it('lists foreign keys as sorted edges with their columns', () => {
    const r = analyzeRelationships(s);
    expect(r.edges.map((e) => `${e.from}(${e.columns}) -> ${e.to}(${e.refColumns})`)).toEqual([
      'public.courses(school_id) -> public.schools(id)',
      'public.enrollments(course_id) -> public.courses(id)',
      'public.enrollments(user_id) -> public.users(id)',
      'public.profiles(id) -> auth.users(id)',
      'public.users(school_id) -> public.schools(id)',
    ]);
  });

  it('puts every parent before its children and reports isolated tables', () => {
    const r = analyzeRelationships(s);
    const pos = (t: string) => r.loadOrder.indexOf(t);
    expect([...r.loadOrder].sort()).toEqual(s.tables.map((t) => `${t.schema}.${t.name}`).sort());
    for (const e of r.edges.filter((edge) => edge.to.startsWith('public.'))) expect(pos(e.to)).toBeLessThan(pos(e.from));
    expect(r.isolated).toEqual(['public.settings']);
    expect(r.cycles).toEqual([]);
    expect(r.deferredEdges).toEqual([]);
  });

  it('finds cycles, not self references, and defers exactly the edges that break them', () => {
    const r = analyzeRelationships(snapshot({
      tables: [
        table('public.a', [id(), ref('b_id')], { fks: [fk('a_b', 'b_id', 'public.b')] }),
        table('public.b', [id(), ref('c_id')], { fks: [fk('b_c', 'c_id', 'public.c')] }),
        table('public.c', [id(), ref('a_id')], { fks: [fk('c_a', 'a_id', 'public.a')] }),
        table('public.d', [id(), ref('a_id')], { fks: [fk('d_a', 'a_id', 'public.a')] }),
        table('public.tree', [id(), ref('parent_id')], { fks: [fk('tree_parent', 'parent_id', 'public.tree')] }),
      ],
    }));
    expect(r.cycles).toEqual([['public.a', 'public.b', 'public.c']]);
    expect(r.deferredEdges.map((e) => e.constraint).sort()).toEqual(['a_b', 'tree_parent']);
    expect(r.loadOrder.indexOf('public.d')).toBeGreaterThan(r.loadOrder.indexOf('public.c'));
    expect(r.loadOrder).toEqual(['public.a', 'public.c', 'public.b', 'public.d', 'public.tree']);
  });
});
