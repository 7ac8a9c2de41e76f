import type { Snapshot } from '../../src/introspect/snapshot';
import { column, fk, id, snapshot, table, trigger } from './builder';

/** A small e-learning platform: tenants (schools), users, courses, enrollments, embeddings, uploads. */
export function elearning(): Snapshot {
  const ts = (name: string) => column(name, 'timestamptz');
  const schoolRef = (t: string) => fk(`${t}_school_id_fkey`, 'school_id', 'public.schools');
  return snapshot({
    tables: [
      table('public.schools', [id(), column('name', 'text'), column('logo_url', 'text')]),
      table('public.users', [id(), column('school_id', 'int8'), column('email', 'text'), column('avatar_path', 'text')], {
        fks: [schoolRef('users')],
      }),
      table('public.courses', [id(), column('school_id', 'int8'), column('author_id', 'int8'), column('is_published', 'bool'), ts('created_at'), ts('updated_at')], {
        fks: [schoolRef('courses'), fk('courses_author_id_fkey', 'author_id', 'public.users')],
      }),
      table('public.enrollments', [id(), column('user_id', 'int8'), column('course_id', 'int8'), column('role', 'public.enrollment_role', { typeSchema: 'public', typeName: 'enrollment_role' })], {
        fks: [fk('enrollments_user_id_fkey', 'user_id', 'public.users'), fk('enrollments_course_id_fkey', 'course_id', 'public.courses')],
      }),
      table('public.documents', [id(), column('school_id', 'int8'), column('embedding', 'float4', { isArray: true }), column('metadata', 'json'), ts('deleted_at')], {
        fks: [schoolRef('documents')],
      }),
    ],
    enums: [{ schema: 'public', name: 'enrollment_role', values: ['student', 'teacher'], comment: null }],
    triggers: [trigger('public.courses', 'courses_touch', 'public.set_updated_at')],
  });
}
