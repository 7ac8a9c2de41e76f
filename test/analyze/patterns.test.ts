import { detectPatterns } from '../../src/analyze/patterns';
import type { Pattern, PatternKind } from '../../src/analyze/types';
import { column, constraint, fk, id, snapshot, table, trigger } from './builder';
import { elearning } from './fixtures';

const ofKind = (patterns: Pattern[], kind: PatternKind) =>
  patterns.filter((p) => p.kind === kind).map((p) => `${p.table} ${p.columns.join(',')} ${p.confidence}`);

describe('detectPatterns on the e-learning fixture', () => {
  const patterns = detectPatterns(elearning());

  it('finds the tenant column with its target and spread', () => {
    expect(ofKind(patterns, 'tenant')).toEqual([
      'public.courses school_id high', 'public.documents school_id high', 'public.users school_id high',
    ]);
    expect(patterns.find((p) => p.kind === 'tenant')?.evidence).toBe(
      'tenant column school_id found in 3 tables (school_id -> public.schools)');
  });

  it('finds owners, the users table and memberships', () => {
    expect(ofKind(patterns, 'owner')).toEqual(['public.courses author_id high', 'public.enrollments user_id high']);
    expect(ofKind(patterns, 'users-table')).toEqual(['public.users email high']);
    expect(ofKind(patterns, 'membership')).toEqual(['public.enrollments user_id,course_id,role high']);
  });

  it('finds column conventions', () => {
    expect(ofKind(patterns, 'soft-delete')).toEqual(['public.documents deleted_at high']);
    expect(ofKind(patterns, 'publish-flag')).toEqual(['public.courses is_published high']);
    expect(ofKind(patterns, 'embedding')).toEqual(['public.documents embedding high']);
    expect(ofKind(patterns, 'json-not-jsonb')).toEqual(['public.documents metadata high']);
    expect(ofKind(patterns, 'file-path')).toEqual(['public.schools logo_url medium', 'public.users avatar_path high']);
    expect(ofKind(patterns, 'enum')).toEqual(['public.enrollments role high']);
  });

  it('sees the trigger that maintains updated_at', () => {
    const audit = patterns.filter((p) => p.kind === 'audit-timestamps');
    expect(audit.map((p) => [p.table, p.confidence, p.evidence])).toEqual([
      ['public.courses', 'high', 'created_at and updated_at; trigger courses_touch maintains updated_at'],
    ]);
  });
});

describe('detectPatterns confidence rules', () => {
  it('lowers tenant confidence without a foreign key or spread', () => {
    const s = snapshot({ tables: [table('public.a', [id(), column('org_id', 'uuid')]), table('public.b', [id(), column('team_id', 'uuid')]), table('public.c', [id(), column('team_id', 'uuid')]), table('public.d', [id(), column('team_id', 'uuid')])] });
    expect(ofKind(detectPatterns(s), 'tenant')).toEqual([
      'public.a org_id low', 'public.b team_id medium', 'public.c team_id medium', 'public.d team_id medium',
    ]);
  });

  it('accepts uuid owner columns without foreign keys and weak references to users', () => {
    const s = snapshot({
      tables: [
        table('public.accounts', [id(), column('email_address', 'text')]),
        table('public.notes', [id(), column('user_id', 'uuid'), column('reviewer', 'int8'), column('owner_id', 'text')], {
          fks: [fk('notes_reviewer_fkey', 'reviewer', 'public.accounts')],
        }),
      ],
    });
    expect(ofKind(detectPatterns(s), 'owner')).toEqual(['public.notes reviewer low', 'public.notes user_id medium']);
  });

  it('finds the owner through the one foreign key to users, whatever its name', () => {
    const s = snapshot({
      tables: [
        table('public.users', [id(), column('email', 'text')]),
        table('public.items', [id(), column('owner', 'uuid')], { fks: [fk('items_owner_fkey', 'owner', 'public.users')] }),
        table('public.messages', [id(), column('sender', 'uuid'), column('recipient', 'uuid')], {
          fks: [fk('m_sender_fkey', 'sender', 'public.users'), fk('m_recipient_fkey', 'recipient', 'public.users')],
        }),
      ],
    });
    expect(ofKind(detectPatterns(s), 'owner')).toEqual(['public.items owner medium', 'public.messages recipient low', 'public.messages sender low']);
  });

  it('recognises users tables by email and password, and auth.users as a users table', () => {
    const s = snapshot({
      tables: [
        table('public.people', [id(), column('email', 'text'), column('password_hash', 'text')]),
        table('public.profiles', [id('uuid')]),
        table('public.members', [id(), column('user_id', 'uuid'), column('team_id', 'int8')], {
          fks: [fk('m_user', 'user_id', 'auth.users'), fk('m_team', 'team_id', 'public.teams')],
        }),
      ],
    });
    const patterns = detectPatterns(s);
    expect(ofKind(patterns, 'users-table')).toEqual(['public.people email,password_hash medium', 'public.profiles  low']);
    expect(ofKind(patterns, 'membership')).toEqual(['public.members user_id,team_id high']);
  });

  it('takes a narrow join table as a membership, and not a wide entity with two parents', () => {
    const s = snapshot({
      tables: [
        table('public.users', [id(), column('email', 'text')]),
        table('public.follows', [column('user_id', 'int8'), column('topic_id', 'int8'), column('created_at', 'timestamptz')], {
          pk: ['user_id', 'topic_id'],
          fks: [fk('f_user', 'user_id', 'public.users'), fk('f_topic', 'topic_id', 'public.topics')],
        }),
        table('public.likes', [id(), column('user_id', 'int8'), column('post_id', 'int8')], {
          fks: [fk('l_user', 'user_id', 'public.users'), fk('l_post', 'post_id', 'public.posts')],
        }),
        table('public.posts', [id(), column('user_id', 'int8'), column('topic_id', 'int8'), column('body', 'text')], {
          fks: [fk('p_user', 'user_id', 'public.users'), fk('p_topic', 'topic_id', 'public.topics')],
        }),
      ],
    });
    s.tables[3].constraints.push(constraint('u', 'posts_user_topic', ['user_id', 'topic_id']));
    const found = detectPatterns(s).filter((p) => p.kind === 'membership');
    expect(ofKind(found, 'membership')).toEqual(['public.follows user_id,topic_id high', 'public.likes user_id,post_id medium']);
    expect(found[0].evidence).toBe('user_id -> public.users; topic_id -> public.topics; no role column; one row per pair');
  });

  it('says when an owner column is only part of a composite foreign key', () => {
    const s = snapshot({
      tables: [table('public.progress', [id(), column('user_id', 'uuid'), column('course_id', 'uuid')], {
        fks: [fk('progress_enrollment', ['user_id', 'course_id'], 'public.enrollments', ['user_id', 'course_id'])],
      })],
    });
    expect(detectPatterns(s).filter((p) => p.kind === 'owner').map((p) => p.evidence)).toEqual([
      'uuid column user_id only part of a composite foreign key',
    ]);
  });

  it('grades soft-delete, publish flags, audit timestamps without trigger, pgvector and jsonb embeddings, file names and unused enums', () => {
    const s = snapshot({
      tables: [
        table('public.items', [
          id(), column('deleted', 'bool'), column('visibility', 'text'), column('created_at', 'timestamptz'),
          column('updated_at', 'timestamptz'), column('title_vector', 'vector', { typeSchema: 'extensions' }),
          column('doc_embedding', 'jsonb'), column('homepage_url', 'text'), column('attachment', 'varchar'),
          column('scores', '_float8', { isArray: true }), column('is_deleted', 'bool'),
        ]),
      ],
      enums: [{ schema: 'public', name: 'mood', values: ['ok'], comment: null }],
      triggers: [trigger('public.items', 'items_audit', 'public.log_change')],
    });
    const patterns = detectPatterns(s);
    expect(ofKind(patterns, 'soft-delete')).toEqual(['public.items deleted medium', 'public.items is_deleted high']);
    expect(ofKind(patterns, 'publish-flag')).toEqual(['public.items visibility medium']);
    expect(ofKind(patterns, 'audit-timestamps')).toEqual(['public.items created_at,updated_at medium']);
    expect(ofKind(patterns, 'embedding')).toEqual(['public.items doc_embedding medium', 'public.items title_vector high']);
    expect(ofKind(patterns, 'file-path')).toEqual(['public.items attachment high', 'public.items homepage_url low']);
    expect(ofKind(patterns, 'enum')).toEqual(['public.mood  high']);
  });
});
