import { randomBytes } from 'crypto';
import { readFileSync } from 'fs';
import { join } from 'path';
import { openDb, type Db } from '../../src/db';
import { ident, literal, qname } from '../../src/sql';

const SOURCE = join(__dirname, '../../migrations.example/toolboxai/source');
const schemaSql = readFileSync(join(SOURCE, 'schema.sql'), 'utf8');
const seedSql = readFileSync(join(SOURCE, 'seed.sql'), 'utf8');

const server = process.env.TEST_DATABASE_URL;
const targets = ['pglite', ...(server ? ['server'] : [])];

// Generous on purpose: the budget is ~20 s on an idle machine, CI shares its cores.
const LOAD_CEILING_MS = 60_000;

interface Target {
  db: Db;
  dispose: () => Promise<void>;
}

/**
 * A fresh database on the shared server, owned by a fresh role without superuser, so the load
 * also proves the example needs no superuser. Both are dropped by `dispose`.
 */
async function openServerTarget(adminUrl: string): Promise<Target> {
  const name = `sm_example_${randomBytes(6).toString('hex')}`;
  const admin = await openDb(adminUrl);
  await admin.exec(`create role ${ident(name)} login nosuperuser`);
  await admin.exec(`create database ${ident(name)} owner ${ident(name)}`);
  const url = new URL(adminUrl);
  url.username = name;
  url.password = '';
  url.pathname = `/${name}`;
  const db = await openDb(url.toString());
  return {
    db,
    dispose: async () => {
      await db.close();
      await admin.exec(`drop database if exists ${ident(name)} with (force)`);
      await admin.exec(`drop role if exists ${ident(name)}`);
      await admin.close();
    },
  };
}

async function openTarget(kind: string): Promise<Target> {
  if (kind === 'server' && server) return openServerTarget(server);
  const db = await openDb('pglite://memory');
  return { db, dispose: () => db.close() };
}

async function count(db: Db, relation: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from ${relation}`);
  return rows[0].n;
}

/** One md5 per table over its rows in text form, sorted, so two loads can be compared exactly. */
async function fingerprint(db: Db): Promise<Record<string, string>> {
  const { rows: relations } = await db.query<{ schema: string; name: string }>(
    `select n.nspname as schema, c.relname as name
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname in ('public', 'analytics') and c.relkind in ('r', 'm')
     order by 1, 2`,
  );
  const result: Record<string, string> = {};
  for (const { schema, name } of relations) {
    const { rows } = await db.query<{ rows: number; digest: string }>(
      `select count(*)::int as rows, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as digest
       from ${qname(schema, name)} x`,
    );
    result[`${schema}.${name}`] = `${rows[0].rows}:${rows[0].digest}`;
  }
  return result;
}

// Filled by each target right after its load, before any test changes data.
const fingerprints = new Map<string, Record<string, string>>();

describe('toolboxai seed files', () => {
  it('use no volatile functions, so every load is identical', () => {
    const volatile = /\b(now|random|clock_timestamp|gen_random_uuid|gen_salt|statement_timestamp)\s*\(|current_(timestamp|date)/i;
    const offending = seedSql.split('\n').filter((line) => !line.trim().startsWith('--') && volatile.test(line));
    expect(offending).toEqual([]);
  });
});

describe.each(targets)('toolboxai example loaded into %s', (kind) => {
  let target: Target;
  let db: Db;
  let loadMs = 0;

  beforeAll(async () => {
    target = await openTarget(kind);
    db = target.db;
    const started = Date.now();
    await db.exec(schemaSql);
    await db.exec(seedSql);
    loadMs = Date.now() - started;
  });

  afterAll(async () => {
    await target?.dispose();
  });

  it('loads within the time budget', () => {
    expect(loadMs).toBeGreaterThan(0);
    expect(loadMs).toBeLessThan(LOAD_CEILING_MS);
  });

  it('fills every table and the materialized view', async () => {
    const prints = await fingerprint(db);
    fingerprints.set(kind, prints);
    expect(Object.keys(prints).length).toBeGreaterThanOrEqual(31);
    const empty = Object.entries(prints).filter(([, print]) => print.startsWith('0:')).map(([table]) => table);
    expect(empty).toEqual([]);
  });

  if (kind !== 'pglite') {
    it('holds byte for byte the data of the PGlite load', () => {
      expect(fingerprints.get(kind)).toEqual(fingerprints.get('pglite'));
    });
  }

  it('has 30+ tables in public and a small analytics schema', async () => {
    const { rows } = await db.query<{ schema: string; kind: string; n: number }>(
      `select n.nspname as schema, c.relkind::text as kind, count(*)::int as n
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname in ('public', 'analytics') and c.relkind in ('r', 'v', 'm')
       group by 1, 2 order by 1, 2`,
    );
    const of = (schema: string, relkind: string) => rows.find((r) => r.schema === schema && r.kind === relkind)?.n ?? 0;
    expect(of('public', 'r')).toBeGreaterThanOrEqual(30);
    expect(of('public', 'r')).toBeLessThanOrEqual(40);
    expect(of('analytics', 'r') + of('analytics', 'v')).toBeGreaterThanOrEqual(2);
    expect(of('public', 'v')).toBeGreaterThanOrEqual(3);
    expect(of('public', 'm')).toBe(1);
  });

  it('has the seeded row counts', async () => {
    const counts: Record<string, number> = {};
    for (const table of ['schools', 'users', 'courses', 'lessons', 'enrollments', 'submissions', 'content_embeddings']) {
      counts[table] = await count(db, `public.${table}`);
    }
    expect(counts).toEqual({
      schools: 3,
      users: 600,
      courses: 40,
      lessons: 400,
      enrollments: 6034,
      submissions: 8045,
      content_embeddings: 200,
    });
    expect(await count(db, 'public.audit_log')).toBeGreaterThan(0);
  });

  it('keeps a table without a primary key', async () => {
    const { rows } = await db.query<{ n: number }>(
      `select count(*)::int as n from pg_constraint where conrelid = 'public.audit_log'::regclass and contype = 'p'`,
    );
    expect(rows[0].n).toBe(0);
  });

  it('stores 1536-float embeddings whose nearest neighbours share a subject', async () => {
    const dims = await db.query<{ dims: number; n: number }>(
      `select array_length(embedding, 1) as dims, count(*)::int as n from public.content_embeddings group by 1`,
    );
    expect(dims.rows).toEqual([{ dims: 1536, n: 200 }]);
    const { rows } = await db.query<{ chunks: number; same_subject: number }>(
      `with chunk as (
         select e.id, c.subject_id, e.embedding
         from public.content_embeddings e
         join public.lessons l on l.id = e.lesson_id
         join public.modules m on m.id = l.module_id
         join public.courses c on c.id = m.course_id
         where e.id % 20 = 1
       )
       select count(*)::int as chunks,
              count(*) filter (where subject_id = (
                select c.subject_id
                from public.nearest_chunks(chunk.embedding, 2) n
                join public.lessons l on l.id = n.lesson_id
                join public.modules m on m.id = l.module_id
                join public.courses c on c.id = m.course_id
                where n.chunk_id <> chunk.id
              ))::int as same_subject
       from chunk`,
    );
    expect(rows[0].chunks).toBe(10);
    expect(rows[0].same_subject).toBe(rows[0].chunks);
  });

  it('keeps non-ASCII file names byte for byte', async () => {
    const { rows } = await db.query<{ file_path: string; bytes: number }>(
      `select file_path, octet_length(file_path) as bytes from public.documents
       where file_name = ${literal('café-menü.pdf')} order by file_path limit 1`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].file_path).toMatch(/^uploads\/[a-z-]+\/[0-9a-f-]{36}\/café-menü\.pdf$/);
    expect(rows[0].bytes).toBe(Buffer.byteLength(rows[0].file_path, 'utf8'));
  });

  it('has both NULL and empty strings in text columns', async () => {
    const { rows } = await db.query<{ nulls: number; empties: number }>(
      `select count(*) filter (where avatar_url is null)::int as nulls,
              count(*) filter (where avatar_url = '')::int as empties
       from public.users`,
    );
    expect(rows[0].nulls).toBeGreaterThan(0);
    expect(rows[0].empties).toBeGreaterThan(0);
  });

  it('bumps updated_at through the trigger', async () => {
    const before = await db.query<{ id: string; updated_at: string }>(
      `select id, updated_at::text from public.users order by id limit 1`,
    );
    const after = await db.query<{ updated_at: string; now: string }>(
      `update public.users set last_login_at = timestamptz '2026-01-01 00:00:00+00' where id = $1
       returning updated_at::text, now()::text as now`,
      [before.rows[0].id],
    );
    expect(after.rows[0].updated_at).toBe(after.rows[0].now);
    expect(after.rows[0].updated_at).not.toBe(before.rows[0].updated_at);
  });

  it('audits grade changes', async () => {
    const audited = await count(db, `public.audit_log where table_name = 'grades' and row_data ? 'submission_id'`);
    await db.exec(`update public.grades set feedback = 'Re-marked' where id = 1`);
    expect(await count(db, `public.audit_log where table_name = 'grades' and row_data ? 'submission_id'`)).toBe(audited + 1);
  });

  it('answers the views, one built on another', async () => {
    expect(await count(db, 'public.course_stats')).toBe(40);
    expect(await count(db, 'public.active_students')).toBeGreaterThan(400);
    const engagement = await db.query<{ n: number; bad: number }>(
      `select count(*)::int as n, count(*) filter (where completion_rate not between 0 and 100)::int as bad
       from analytics.course_engagement`,
    );
    expect(engagement.rows[0]).toEqual({ n: 40, bad: 0 });
    const progress = await db.query<{ started: number; bad: number }>(
      `select count(*) filter (where progress > 0)::int as started,
              count(*) filter (where progress not between 0 and 100)::int as bad
       from public.student_course_progress`,
    );
    expect(progress.rows[0].started).toBeGreaterThan(0);
    expect(progress.rows[0].bad).toBe(0);
  });

  it('has a populated leaderboard ranked per school', async () => {
    const { rows } = await db.query<{ schools: number; top: number }>(
      `select count(distinct school_id)::int as schools, count(*) filter (where school_rank = 1)::int as top
       from public.leaderboard`,
    );
    expect(rows[0].schools).toBe(3);
    expect(rows[0].top).toBeGreaterThanOrEqual(3);
  });

  it('enrolls a student once and refuses another school', async () => {
    const pick = await db.query<{ user_id: string; course_id: string; other_course: string }>(
      `select u.id as user_id, c.id as course_id,
              (select o.id from public.courses o where o.school_id <> u.school_id and o.is_published order by o.id limit 1) as other_course
       from public.users u
       join public.courses c on c.school_id = u.school_id and c.is_published
       where u.role = 'student' and u.deleted_at is null
         and not exists (select 1 from public.enrollments e where e.user_id = u.id and e.course_id = c.id)
       order by u.id, c.id limit 1`,
    );
    const { user_id, course_id, other_course } = pick.rows[0];
    const enroll = (course: string) =>
      db.query<{ id: string }>(`select public.enroll_student($1, $2) as id`, [user_id, course]);
    const first = await enroll(course_id);
    const again = await enroll(course_id);
    expect(first.rows[0].id).toMatch(/^[0-9a-f-]{36}$/);
    expect(again.rows[0].id).toBe(first.rows[0].id);
    await expect(enroll(other_course)).rejects.toThrow(/not open to the student's school/);
  });

  it('searches published lessons only', async () => {
    const { rows } = await db.query<{ n: number; unpublished: number; unrelated: number }>(
      `select count(*)::int as n,
              count(*) filter (where not is_published)::int as unpublished,
              count(*) filter (where title not ilike '%worked examples%' and coalesce(body, '') not ilike '%worked examples%')::int as unrelated
       from public.search_lessons('worked examples')`,
    );
    expect(rows[0].n).toBeGreaterThan(0);
    expect(rows[0].unpublished).toBe(0);
    expect(rows[0].unrelated).toBe(0);
  });

  it('enforces its checks, domain and case-insensitive email key', async () => {
    await expect(db.exec(`update public.grades set score = 101 where id = 2`)).rejects.toThrow(/check constraint/);
    await expect(
      db.exec(`update public.users set email = 'not-an-email' where id = (select id from public.users order by id limit 1)`),
    ).rejects.toThrow(/email_address/);
    await expect(
      db.exec(
        `update public.users set email = (select upper(email) from public.users order by id limit 1)
         where id = (select id from public.users order by id offset 1 limit 1)`,
      ),
    ).rejects.toThrow(/users_email_lower_key/);
  });
});
