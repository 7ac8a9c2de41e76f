-- ToolBoxAI seed data. Every value is derived from a row number (generate_series, md5, modular
-- arithmetic, fixed timestamps), so two loads produce identical databases. Load after schema.sql.

-- Row numbers for people, courses and enrollments, kept in temporary tables so the later
-- inserts can pick related rows by arithmetic. Dropped at the end.
create temporary table seed_school (n integer primary key, id uuid not null, slug text not null);
insert into seed_school values
  (1, md5('school-1')::uuid, 'maple-grove'),
  (2, md5('school-2')::uuid, 'riverside'),
  (3, md5('school-3')::uuid, 'lumiere');

create temporary table seed_user as
  select n,
         md5('user-' || n)::uuid as id,
         (n - 1) % 3 + 1 as school_n,
         case
           when n <= 3 then 'admin'
           when n % 20 = 0 then 'teacher'
           when n % 25 = 7 then 'parent'
           else 'student'
         end::public.user_role as role
  from generate_series(1, 600) as n;
alter table seed_user add column rank_in_school integer;
update seed_user u set rank_in_school = r.rank_in_school
from (select n, row_number() over (partition by school_n, role order by n) as rank_in_school from seed_user) r
where r.n = u.n;

create temporary table seed_course as
  select c,
         md5('course-' || c)::uuid as id,
         (c - 1) % 3 + 1 as school_n,
         (c - 1) / 3 + 1 as rank_in_school,
         (c - 1) % 8 + 1 as subject_id
  from generate_series(1, 40) as c;

-- ---------------------------------------------------------------------------------------------
-- Tenants, terms, rooms, subjects
-- ---------------------------------------------------------------------------------------------

insert into public.schools (id, slug, name, country, settings, created_at, updated_at)
select s.id, s.slug, v.name, v.country, v.settings::jsonb,
       timestamptz '2024-06-01 00:00:00+00' + s.n * interval '1 day',
       timestamptz '2024-12-01 00:00:00+00' + s.n * interval '1 day'
from seed_school s
join (values
  (1, 'Maple Grove High School', 'US', '{"theme": {"primary": "#2f6f3e"}, "features": {"ai_tutor": true, "parent_portal": true}, "grading_scale": "percent"}'),
  (2, 'Riverside Academy', 'GB', '{"theme": {"primary": "#1d4e89"}, "features": {"ai_tutor": false}, "grading_scale": "letters", "term_weeks": 12}'),
  (3, 'École Lumière', 'FR', '{"theme": {"primary": "#b5462a", "logo": "logos/lumiere.svg"}, "features": {"ai_tutor": true}, "locale": "fr-FR"}')
) as v(n, name, country, settings) on v.n = s.n
order by s.n;

insert into public.academic_terms (id, school_id, name, starts_on, ends_on)
select (s.n - 1) * 2 + t, s.id,
       case t when 1 then 'Fall 2025' else 'Spring 2026' end,
       case t when 1 then date '2025-09-01' else date '2026-01-12' end,
       case t when 1 then date '2025-12-19' else date '2026-05-29' end
from seed_school s cross join generate_series(1, 2) as t
order by 1;

insert into public.classrooms (id, school_id, name, capacity)
select (s.n - 1) * 5 + r, s.id, 'Room ' || (100 * s.n + r), 20 + 5 * r
from seed_school s cross join generate_series(1, 5) as r
order by 1;

insert into public.subjects (name, color) values
  ('Mathematics', '#4263eb'),
  ('Physics', '#1098ad'),
  ('Chemistry', '#37b24d'),
  ('Biology', '#74b816'),
  ('History', '#f59f00'),
  ('Literature', '#e8590c'),
  ('Computer Science', '#7048e8'),
  ('Art', null);

-- ---------------------------------------------------------------------------------------------
-- People
-- ---------------------------------------------------------------------------------------------

insert into public.users (id, school_id, email, role, first_name, last_name, password_hash, avatar_url,
                          last_login_at, deleted_at, created_at, updated_at)
select u.id, s.id,
       case when u.n % 37 = 0 then initcap(names.ascii_first) else names.ascii_first end
         || '.' || lower(names.last_ascii) || u.n || '@' || s.slug || '.example.edu',
       u.role,
       names.first,
       case when u.n % 41 = 0 then null else names.last end,
       -- Parents and everyone at Lumière sign in through SSO and never had a password.
       case when u.role = 'parent' or u.school_n = 3 then null
            else crypt('pw-' || u.n, '$2a$04$' || substr(md5('salt-' || u.n), 1, 22)) end,
       case u.n % 4
         when 0 then null
         when 1 then ''
         when 2 then 'avatars/' || u.id || '.png'
         else 'https://files.toolboxai.example/avatars/' || u.id || '.jpg'
       end,
       case when u.n % 9 = 0 then null
            else timestamptz '2025-10-01 00:00:00+00' + u.n * interval '7 minutes' end,
       case when u.role = 'student' and u.n % 50 = 13
            then timestamptz '2025-06-01 00:00:00+00' + u.n * interval '1 hour' end,
       timestamptz '2025-01-01 00:00:00+00' + u.n * interval '1 hour',
       timestamptz '2025-01-01 00:00:00+00' + u.n * interval '1 hour' + (u.n % 17) * interval '1 day'
from seed_user u
join seed_school s on s.n = u.school_n
cross join lateral (
  select (array['Ava', 'Liam', 'Zoë', 'Noah', 'Maya', 'José', 'Emma', 'Søren', 'Aisha', 'Lucas',
                'Chloé', 'Yuki', 'Omar', 'Ingrid', 'Mateo', 'Priya', 'Finn', 'Léa', 'Kofi', 'Nora'])[1 + u.n % 20] as first,
         (array['ava', 'liam', 'zoe', 'noah', 'maya', 'jose', 'emma', 'soren', 'aisha', 'lucas',
                'chloe', 'yuki', 'omar', 'ingrid', 'mateo', 'priya', 'finn', 'lea', 'kofi', 'nora'])[1 + u.n % 20] as ascii_first,
         (array['Smith', 'García', 'Nguyen', 'Müller', 'Okafor', 'Rossi', 'Kowalski', 'Dubois', 'Tanaka',
                'O''Brien', 'Haddad', 'Johansson', 'Patel'])[1 + (u.n * 7) % 13] as last,
         (array['Smith', 'Garcia', 'Nguyen', 'Mueller', 'Okafor', 'Rossi', 'Kowalski', 'Dubois', 'Tanaka',
                'OBrien', 'Haddad', 'Johansson', 'Patel'])[1 + (u.n * 7) % 13] as last_ascii
) as names
order by u.n;

insert into public.user_profiles (user_id, bio, locale, timezone, banner_path, preferences)
select u.id,
       case u.n % 5 when 0 then null when 1 then '' else 'Learner #' || u.n || ' — loves ' || sub.name end,
       case u.school_n when 3 then 'fr' when 2 then 'en-GB' else 'en' end,
       case u.school_n when 3 then 'Europe/Paris' when 2 then 'Europe/London' else 'America/Chicago' end,
       case when u.n % 6 = 0 then 'banners/' || u.id || '/banner.webp' end,
       jsonb_build_object('dark_mode', u.n % 2 = 0, 'email_digest', (array['daily', 'weekly', 'never'])[1 + u.n % 3],
                          'favourite_subjects', jsonb_build_array(sub.name))
from seed_user u
join public.subjects sub on sub.id = 1 + u.n % 8
where u.n % 3 <> 0
order by u.n;

insert into public.parent_links (parent_id, student_id, relationship)
select p.id, s.id, case when s.n = p.n + 1 then 'mother' else 'father' end
from seed_user p
join seed_user s on s.n in (p.n + 1, p.n + 2) and s.role = 'student'
where p.role = 'parent'
order by p.n, s.n;

-- ---------------------------------------------------------------------------------------------
-- Courses and content
-- ---------------------------------------------------------------------------------------------

insert into public.courses (id, school_id, subject_id, term_id, code, title, description, tags, thumbnail_path,
                            is_published, price, created_at, updated_at)
select c.id, s.id, c.subject_id, (c.school_n - 1) * 2 + 1 + c.c % 2,
       upper(left(replace(sub.name, ' ', ''), 4)) || '-' || (100 + c.c),
       sub.name || ' ' || level.name,
       case when c.c % 7 = 0 then null
            else 'A ' || lower(level.name) || ' course in ' || lower(sub.name) || ' with weekly assignments and quizzes.' end,
       array[lower(sub.name), lower(level.name)] || case when c.c % 3 = 0 then array['exam-prep'] else array[]::text[] end,
       case when c.c % 5 = 0 then null else 'thumbnails/courses/' || c.c || '.jpg' end,
       c.c % 10 <> 0,
       case when c.c % 4 = 0 then 49.99 else 0 end,
       timestamptz '2025-02-01 00:00:00+00' + c.c * interval '1 day',
       timestamptz '2025-03-01 00:00:00+00' + c.c * interval '1 day'
from seed_course c
join seed_school s on s.n = c.school_n
join public.subjects sub on sub.id = c.subject_id
cross join lateral (select (array['Foundations', 'Intermediate', 'Advanced', 'Honors', 'Workshop'])[1 + c.c % 5] as name) as level
order by c.c;

insert into public.course_prerequisites (course_id, prerequisite_id)
select c.id, p.id
from seed_course c
join seed_course p on p.c = c.c - 3
where c.c % 2 = 0
order by c.c;

insert into public.course_teachers (course_id, teacher_id, is_lead)
select c.id, t.id, k = 1
from seed_course c
cross join generate_series(1, 2) as k
join seed_user t on t.role = 'teacher' and t.school_n = c.school_n
  and t.rank_in_school = case k when 1 then (c.rank_in_school - 1) % 10 + 1 else (c.rank_in_school + 4) % 10 + 1 end
where k = 1 or c.rank_in_school % 2 = 0
order by c.c, k;

insert into public.modules (id, course_id, position, title)
select (c.c - 1) * 4 + m, c.id, m,
       'Unit ' || m || ': ' || (array['Getting started', 'Core ideas', 'Practice', 'Review'])[m]
from seed_course c cross join generate_series(1, 4) as m
order by 1;

-- Ten lessons per course spread over its four modules (3, 3, 3, 1).
insert into public.lessons (id, module_id, position, title, body, video_url, duration_minutes, is_published,
                            created_at, updated_at)
select l, (c.c - 1) * 4 + k / 3 + 1, k % 3 + 1,
       sub.name || ' lesson ' || (k + 1) || ': ' || topic.name,
       case when l % 23 = 0 then null
            else 'In this lesson we study ' || topic.name || ' in ' || lower(sub.name)
                 || '. Read the notes, watch the video and try the exercises.' end,
       case l % 3 when 0 then 'https://videos.toolboxai.example/lessons/' || l when 1 then '' end,
       5 + (l * 7) % 56,
       l % 11 <> 0,
       timestamptz '2025-03-01 00:00:00+00' + l * interval '3 hours',
       timestamptz '2025-04-01 00:00:00+00' + l * interval '3 hours'
from generate_series(1, 400) as l
cross join lateral (select (l - 1) % 10 as k, (l - 1) / 10 + 1 as course_n) as pos
join seed_course c on c.c = pos.course_n
join public.subjects sub on sub.id = c.subject_id
cross join lateral (
  select (array['definitions', 'worked examples', 'common mistakes', 'history of the idea', 'applications',
                'problem solving', 'lab work', 'group project', 'revision', 'assessment'])[k + 1] as name
) as topic
order by l;

insert into public.lesson_resources (id, lesson_id, kind, storage_path, thumbnail_path)
select l / 2, l,
       (array['pdf', 'slides', 'worksheet', 'image'])[1 + l % 4],
       'resources/' || s.slug || '/lesson-' || l || '/' || (array['notes.pdf', 'slides.pdf', 'worksheet.pdf', 'diagram.png'])[1 + l % 4],
       case when l % 4 = 3 then 'resources/' || s.slug || '/lesson-' || l || '/diagram.thumb.png' end
from generate_series(2, 400, 2) as l
join seed_course c on c.c = (l - 1) / 10 + 1
join seed_school s on s.n = c.school_n
order by l;

-- One chunk for every odd lesson. A vector is its subject's direction plus a smaller
-- chunk-specific one, so chunks of the same subject are each other's nearest neighbours.
insert into public.content_embeddings (id, lesson_id, chunk_index, chunk, embedding)
overriding system value
select i, l.id, 0,
       coalesce(l.body, l.title),
       array(
         select (sin(d * (0.5 + 0.12 * c.subject_id) + c.subject_id) + 0.6 * sin(d * (1.8 + 0.007 * i) + i))::real
         from generate_series(1, 1536) as d
         order by d
       )
from generate_series(1, 200) as i
join public.lessons l on l.id = 2 * i - 1
join seed_course c on c.c = (l.id - 1) / 10 + 1
order by i;

-- ---------------------------------------------------------------------------------------------
-- Enrollments, progress, assignments, submissions, grades
-- ---------------------------------------------------------------------------------------------

create temporary table seed_enrollment as
  select row_number() over (order by u.n, c.c) as e, u.n as user_n, u.id as user_id, c.c, c.id as course_id,
         c.school_n
  from seed_user u
  join seed_course c on c.school_n = u.school_n
  where u.role = 'student' and (u.rank_in_school + c.rank_in_school) % 6 <> 0;

insert into public.enrollments (id, user_id, course_id, enrolled_at, completed_at, updated_at)
select md5('enrollment-' || e.e)::uuid, e.user_id, e.course_id,
       timestamptz '2025-08-15 00:00:00+00' + e.e * interval '5 minutes',
       case when e.e % 5 = 0 then timestamptz '2025-12-15 00:00:00+00' + e.e * interval '1 minute' end,
       timestamptz '2025-08-15 00:00:00+00' + e.e * interval '5 minutes'
from seed_enrollment e
order by e.e;

insert into public.lesson_progress (user_id, course_id, lesson_id, completed_at, seconds_spent)
select e.user_id, e.course_id, (e.c - 1) * 10 + k + 1,
       case when k < e.e % 10 - 1 then timestamptz '2025-09-01 00:00:00+00' + (e.e + k) * interval '1 hour' end,
       60 * (3 + (e.e * 13 + k) % 40)
from seed_enrollment e
cross join generate_series(0, 9) as k
where e.e % 4 = 1 and k < e.e % 10
order by e.e, k;

insert into public.assignments (id, course_id, title, instructions, due_at, max_points, created_at)
select (c.c - 1) * 3 + k, c.id,
       (array['Problem set', 'Essay', 'Project'])[k] || ' ' || k,
       case when k = 2 then '' else 'Submit a PDF before the deadline.' end,
       timestamptz '2025-10-01 23:59:00+00' + ((c.c - 1) * 3 + k) * interval '1 day',
       case k when 3 then 50 else 100 end,
       timestamptz '2025-09-01 00:00:00+00' + c.c * interval '1 hour'
from seed_course c cross join generate_series(1, 3) as k
order by 1;

insert into public.rubrics (assignment_id, criteria)
select a, jsonb_build_array(
  jsonb_build_object('criterion', 'Accuracy', 'weight', 0.5),
  jsonb_build_object('criterion', 'Clarity', 'weight', 0.3),
  jsonb_build_object('criterion', 'Presentation', 'weight', 0.2, 'notes', null))
from generate_series(2, 120, 2) as a
order by a;

-- Names people really upload, some of which object stores refuse as keys.
insert into public.submissions (id, assignment_id, user_id, status, body, file_path, submitted_at, created_at, updated_at)
select md5('submission-' || e.e || '-' || k)::uuid,
       (e.c - 1) * 3 + k,
       e.user_id,
       (array['draft', 'submitted', 'graded', 'graded', 'returned'])[1 + (e.e + k) % 5]::public.submission_status,
       case (e.e + k) % 4 when 0 then null when 1 then '' else 'My answer to assignment ' || k || '.' end,
       case when (e.e + k) % 3 = 0 then null
            else 'uploads/' || s.slug || '/' || e.user_id || '/'
                 || (array['homework', 'café-menü', 'Übungsblatt 3', '日本語ノート', 'résumé (final)', 'lab report'])[1 + (e.e * 7 + k) % 6]
                 || '-' || k || '.pdf' end,
       case when (e.e + k) % 5 = 0 then null
            else timestamptz '2025-10-01 00:00:00+00' + (e.e * 3 + k) * interval '1 minute' end,
       timestamptz '2025-09-20 00:00:00+00' + (e.e * 3 + k) * interval '1 minute',
       timestamptz '2025-10-02 00:00:00+00' + (e.e * 3 + k) * interval '1 minute'
from seed_enrollment e
cross join generate_series(1, 3) as k
join seed_school s on s.n = e.school_n
where (e.e * 5 + k * 2) % 9 < 4
order by e.e, k;

insert into public.grades (submission_id, grader_id, score, feedback, graded_at)
select sm.id, ct.teacher_id,
       40 + (('x' || substr(md5(sm.id::text), 1, 6))::bit(24)::integer % 6001) / 100.0,
       case when sm.status = 'returned' then 'Please revise section 2.' end,
       sm.updated_at + interval '2 days'
from public.submissions sm
join public.assignments a on a.id = sm.assignment_id
join public.course_teachers ct on ct.course_id = a.course_id and ct.is_lead
where sm.status in ('graded', 'returned')
order by sm.created_at, sm.id;

-- ---------------------------------------------------------------------------------------------
-- Quizzes
-- ---------------------------------------------------------------------------------------------

insert into public.quizzes (id, course_id, title, time_limit, is_published)
select (c.c - 1) * 2 + q, c.id, 'Quiz ' || q, case when q = 1 then interval '20 minutes' end, c.c % 10 <> 0
from seed_course c cross join generate_series(1, 2) as q
order by 1;

insert into public.quiz_questions (id, quiz_id, position, prompt, options, correct_option)
select (qz - 1) * 5 + p, qz, p,
       'Question ' || p || ' of quiz ' || qz || '?',
       json_build_object('a', 'Option A', 'b', 'Option B', 'c', 'Option C', 'd', case when p = 5 then 'All of the above' else 'Option D' end),
       (qz + p) % 4
from generate_series(1, 80) as qz cross join generate_series(1, 5) as p
order by 1;

insert into public.quiz_attempts (id, quiz_id, user_id, started_at, finished_at, score)
select e.e / 4, (e.c - 1) * 2 + 1, e.user_id,
       timestamptz '2025-10-10 08:00:00+00' + e.e * interval '3 minutes',
       case when e.e % 12 = 0 then null
            else timestamptz '2025-10-10 08:15:00+00' + e.e * interval '3 minutes' end,
       case when e.e % 12 = 0 then null else 20 * ((e.e / 4) % 6) end
from seed_enrollment e
where e.e % 4 = 0
order by e.e;

insert into public.quiz_answers (attempt_id, quiz_id, question_id, chosen_option, is_correct)
select qa.id, qa.quiz_id, qq.id, (qa.id + qq.position) % 4, (qa.id + qq.position) % 4 = qq.correct_option
from public.quiz_attempts qa
join public.quiz_questions qq on qq.quiz_id = qa.quiz_id
where qa.finished_at is not null
order by qa.id, qq.id;

insert into public.attendance (id, course_id, user_id, classroom_id, session_date, status)
select (e.e / 3 - 1) * 3 + d, e.course_id, e.user_id,
       case when d = 3 then null else (e.school_n - 1) * 5 + 1 + e.c % 5 end,
       date '2025-09-08' + 7 * (d - 1),
       (array['present', 'present', 'present', 'late', 'absent', 'excused'])[1 + (e.e + d) % 6]::public.attendance_status
from seed_enrollment e cross join generate_series(1, 3) as d
where e.e % 3 = 0
order by 1;

-- ---------------------------------------------------------------------------------------------
-- Community and communication
-- ---------------------------------------------------------------------------------------------

insert into public.discussion_threads (id, course_id, author_id, title, is_locked, created_at)
select (c.c - 1) * 3 + t, c.id, ct.teacher_id,
       (array['Welcome and introductions', 'Questions about the first assignment', 'Exam preparation'])[t],
       t = 1 and c.c % 4 = 0,
       timestamptz '2025-09-01 09:00:00+00' + ((c.c - 1) * 3 + t) * interval '1 hour'
from seed_course c
cross join generate_series(1, 3) as t
join public.course_teachers ct on ct.course_id = c.id and ct.is_lead
order by 1;

-- Six posts per thread: a root, two replies to it and three replies to the first reply.
insert into public.discussion_posts (id, thread_id, parent_post_id, author_id, body, created_at, updated_at)
select (t.id - 1) * 6 + p, t.id,
       case when p = 1 then null when p <= 3 then (t.id - 1) * 6 + 1 else (t.id - 1) * 6 + 2 end,
       u.id,
       case when p = 1 then 'Start here: ' || t.title else 'Reply ' || p || ' — thanks, that helps!' end,
       t.created_at + p * interval '10 minutes',
       t.created_at + p * interval '10 minutes'
from public.discussion_threads t
join public.courses c on c.id = t.course_id
join seed_school s on s.id = c.school_id
cross join generate_series(1, 6) as p
join seed_user u on u.role = 'student' and u.school_n = s.n and u.rank_in_school = (t.id * 7 + p) % 170 + 1
order by 1;

insert into public.messages (id, sender_id, recipient_id, subject, body, read_at, sent_at)
select md5('message-' || m)::uuid, a.id, b.id,
       case m % 4 when 0 then null when 1 then '' else 'About lesson ' || (m % 400 + 1) end,
       'Hi! Message number ' || m || '.',
       case when m % 3 = 0 then null else timestamptz '2025-11-01 00:00:00+00' + m * interval '20 minutes' end,
       timestamptz '2025-11-01 00:00:00+00' + m * interval '10 minutes'
from generate_series(1, 1000) as m
join seed_user a on a.n = (m * 13) % 600 + 1
join seed_user b on b.n = (m * 13 + 3 * (1 + m % 50)) % 600 + 1
order by m;

insert into public.notifications (id, user_id, kind, payload, read_at, created_at)
select m, u.id,
       (array['assignment_due', 'grade_posted', 'new_message', 'badge_awarded'])[1 + m % 4],
       jsonb_build_object('ref', m, 'priority', case when m % 10 = 0 then 'high' else 'normal' end),
       case when m % 2 = 0 then timestamptz '2025-11-05 00:00:00+00' + m * interval '1 minute' end,
       timestamptz '2025-11-01 00:00:00+00' + m * interval '5 minutes'
from generate_series(1, 1500) as m
join seed_user u on u.n = (m * 17) % 600 + 1
order by m;

insert into public.announcements (id, school_id, course_id, title, body, is_published, published_at)
select a, s.id, case when a % 2 = 0 then c.id end,
       'Announcement ' || a,
       case when a % 5 = 0 then '' else 'Important news for everyone in ' || s.slug || '.' end,
       a % 6 <> 0,
       case when a % 6 <> 0 then timestamptz '2025-09-01 07:00:00+00' + a * interval '1 day' end
from generate_series(1, 30) as a
join seed_course c on c.c = a
join seed_school s on s.n = c.school_n
order by a;

insert into public.calendar_events (id, school_id, course_id, title, location, starts_at, ends_at)
select ev, s.id, case when ev <= 80 then c.id end,
       case when ev <= 80 then 'Class session' else 'School assembly' end,
       case ev % 3 when 0 then null when 1 then '' else 'Room ' || (100 * s.n + ev % 5 + 1) end,
       timestamptz '2025-09-08 08:00:00+00' + ev * interval '1 day',
       timestamptz '2025-09-08 09:30:00+00' + ev * interval '1 day'
from generate_series(1, 90) as ev
join seed_course c on c.c = (ev - 1) % 40 + 1
join seed_school s on s.n = c.school_n
order by ev;

-- ---------------------------------------------------------------------------------------------
-- Gamification
-- ---------------------------------------------------------------------------------------------

insert into public.badges (code, name, points, icon_path) values
  ('first-login', 'First steps', 5, 'badges/first-login.svg'),
  ('first-submission', 'Hand it in', 10, 'badges/first-submission.svg'),
  ('perfect-quiz', 'Perfect score', 25, 'badges/perfect-quiz.svg'),
  ('streak-7', 'Seven-day streak', 15, 'badges/streak-7.svg'),
  ('streak-30', 'Thirty-day streak', 40, 'badges/streak-30.svg'),
  ('helper', 'Helpful classmate', 20, null),
  ('bookworm', 'Bookworm', 10, ''),
  ('night-owl', 'Night owl', 5, 'badges/night-owl.svg'),
  ('early-bird', 'Early bird', 5, 'badges/early-bird.svg'),
  ('explorer', 'Course explorer', 15, 'badges/explorer.svg'),
  ('mentor', 'Mentor', 30, 'badges/mentor.svg'),
  ('champion', 'Champion', 50, 'badges/champion.svg');

insert into public.user_badges (user_id, badge_id, awarded_at)
select u.id, b, timestamptz '2025-09-15 00:00:00+00' + (u.n + b) * interval '6 hours'
from seed_user u cross join generate_series(1, 12) as b
where u.role = 'student' and (u.n * b) % 7 = 0
order by u.n, b;

insert into public.course_reviews (id, course_id, user_id, rating, comment)
select e.e / 5, e.course_id, e.user_id, 1 + (e.e / 5 % 9) * 0.5,
       case (e.e / 5) % 3 when 0 then null when 1 then '' else 'Clear explanations, fair grading.' end
from seed_enrollment e
where e.e % 5 = 0
order by e.e;

-- ---------------------------------------------------------------------------------------------
-- Files and bookkeeping
-- ---------------------------------------------------------------------------------------------

insert into public.documents (id, school_id, owner_id, file_name, file_path, mime_type, size_bytes, checksum, uploaded_at)
select md5('document-' || d)::uuid, s.id, u.id, f.name,
       'uploads/' || s.slug || '/' || u.id || '/' || f.name,
       f.mime, 1024 * (10 + (d * 37) % 4000),
       case when d % 10 = 0 then null else encode(digest('uploads/' || s.slug || '/' || u.id || '/' || f.name, 'sha256'), 'hex') end,
       timestamptz '2025-09-01 00:00:00+00' + d * interval '2 hours'
from generate_series(1, 300) as d
join seed_user u on u.n = (d * 7) % 600 + 1
join seed_school s on s.n = u.school_n
cross join lateral (
  select (array['café-menü.pdf', 'syllabus.pdf', 'Übungsblatt 3.pdf', 'class photo.jpg', '日本語ノート.pdf',
                'résumé (final).pdf', 'notes.txt', 'project-plan.docx', 'data_2025.csv', 'slides.pptx'])[1 + d % 10] as name,
         (array['application/pdf', 'application/pdf', 'application/pdf', 'image/jpeg', 'application/pdf',
                'application/pdf', 'text/plain',
                'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'text/csv',
                'application/vnd.openxmlformats-officedocument.presentationml.presentation'])[1 + d % 10] as mime
) as f
order by d;

insert into public.audit_log (occurred_at, actor_id, table_name, action, row_data)
select timestamptz '2025-10-15 12:00:00+00' + a * interval '13 minutes',
       case when a % 4 = 0 then null else u.id end,
       (array['grades', 'users', 'courses'])[1 + a % 3],
       (array['update', 'delete', 'update', 'update'])[1 + a % 4],
       case when a % 7 = 0 then null else jsonb_build_object('id', a, 'note', 'changed by seed') end
from generate_series(1, 50) as a
join seed_user u on u.n = a * 11 % 600 + 1
order by a;

insert into public.api_tokens (id, user_id, token_hash, scopes, expires_at)
select t, u.id, encode(digest('token-' || t, 'sha256'), 'hex'),
       case when t % 3 = 0 then array['read', 'write'] else array['read'] end,
       case when t % 4 = 0 then null else timestamptz '2026-06-01 00:00:00+00' + t * interval '1 day' end
from generate_series(1, 20) as t
join seed_user u on u.role = 'teacher' and u.n = t * 20
order by t;

insert into analytics.daily_activity (day, school_id, active_users, lessons_completed)
select date '2025-09-01' + day, s.id, 40 + (day * 7 + s.n * 13) % 120, (day * 11 + s.n * 5) % 300
from generate_series(0, 89) as day cross join seed_school s
order by 1, s.n;

insert into analytics.page_views (id, user_id, path, viewed_at)
select v, case when v % 10 = 0 then null else u.id end,
       (array['/dashboard', '/courses', '/courses/' || v % 40, '/lessons/' || v % 400, '/messages'])[1 + v % 5],
       timestamptz '2025-11-01 00:00:00+00' + v * interval '90 seconds'
from generate_series(1, 3000) as v
join seed_user u on u.n = (v * 31) % 600 + 1
order by v;

-- ---------------------------------------------------------------------------------------------
-- Sequences follow the explicit keys, derived data is refreshed, helpers go away
-- ---------------------------------------------------------------------------------------------

select setval(pg_get_serial_sequence('public.academic_terms', 'id'), (select max(id) from public.academic_terms));
select setval(pg_get_serial_sequence('public.classrooms', 'id'), (select max(id) from public.classrooms));
select setval(pg_get_serial_sequence('public.modules', 'id'), (select max(id) from public.modules));
select setval(pg_get_serial_sequence('public.lessons', 'id'), (select max(id) from public.lessons));
select setval(pg_get_serial_sequence('public.lesson_resources', 'id'), (select max(id) from public.lesson_resources));
select setval(pg_get_serial_sequence('public.content_embeddings', 'id'), (select max(id) from public.content_embeddings));
select setval(pg_get_serial_sequence('public.assignments', 'id'), (select max(id) from public.assignments));
select setval(pg_get_serial_sequence('public.quizzes', 'id'), (select max(id) from public.quizzes));
select setval(pg_get_serial_sequence('public.quiz_questions', 'id'), (select max(id) from public.quiz_questions));
select setval(pg_get_serial_sequence('public.quiz_attempts', 'id'), (select max(id) from public.quiz_attempts));
select setval(pg_get_serial_sequence('public.attendance', 'id'), (select max(id) from public.attendance));
select setval(pg_get_serial_sequence('public.discussion_threads', 'id'), (select max(id) from public.discussion_threads));
select setval(pg_get_serial_sequence('public.discussion_posts', 'id'), (select max(id) from public.discussion_posts));
select setval(pg_get_serial_sequence('public.notifications', 'id'), (select max(id) from public.notifications));
select setval(pg_get_serial_sequence('public.announcements', 'id'), (select max(id) from public.announcements));
select setval(pg_get_serial_sequence('public.calendar_events', 'id'), (select max(id) from public.calendar_events));
select setval(pg_get_serial_sequence('public.course_reviews', 'id'), (select max(id) from public.course_reviews));
select setval(pg_get_serial_sequence('public.api_tokens', 'id'), (select max(id) from public.api_tokens));
select setval(pg_get_serial_sequence('analytics.page_views', 'id'), (select max(id) from analytics.page_views));

refresh materialized view public.leaderboard;

drop table seed_enrollment, seed_course, seed_user, seed_school;

-- PGlite has no autovacuum, so without this pg_class.reltuples (which size estimates read)
-- would stay unknown. Only the example's own tables: the catalogs are not ours to analyze.
do $$
declare
  t regclass;
begin
  for t in
    select c.oid::regclass from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname in ('public', 'analytics') and c.relkind in ('r', 'm')
    order by 1
  loop
    execute 'analyze ' || t;
  end loop;
end;
$$;
