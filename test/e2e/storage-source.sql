-- The three tables of the ToolBoxAI example that hold upload paths, with the example's path
-- rules (documents under uploads/<school>/<uid>/<name>, some names non-ASCII; avatars under
-- avatars/<uid>.png, or empty, or an absolute URL). Loading the whole example takes far longer.
create table public.schools (id uuid primary key, slug text not null unique);
create table public.users (
  id uuid primary key,
  school_id uuid not null references public.schools (id),
  avatar_url text
);
create table public.documents (
  id uuid primary key,
  school_id uuid not null references public.schools (id),
  owner_id uuid not null references public.users (id),
  file_name text not null,
  file_path text not null unique
);
insert into public.schools
select md5('school-' || n)::uuid, (array['north-high', 'lakeside', 'lumiere'])[n] from generate_series(1, 3) as n;
insert into public.users
select md5('user-' || n)::uuid, md5('school-' || (1 + n % 3))::uuid,
       case n % 4 when 0 then null when 1 then '' when 2 then 'avatars/' || md5('user-' || n)::uuid || '.png'
            else 'https://files.toolboxai.example/avatars/' || n || '.jpg' end
from generate_series(1, 600) as n;
insert into public.documents
select md5('document-' || d)::uuid, u.school_id, u.id, f.name, 'uploads/' || s.slug || '/' || u.id || '/' || f.name
from generate_series(1, 300) as d
join public.users u on u.id = md5('user-' || ((d * 7) % 600 + 1))::uuid
join public.schools s on s.id = u.school_id
cross join lateral (
  select (array['café-menü.pdf', 'syllabus.pdf', 'Übungsblatt 3.pdf', 'class photo.jpg', '日本語ノート.pdf',
                'résumé (final).pdf', 'notes.txt', 'project-plan.docx', 'data_2025.csv', 'slides.pptx'])[1 + d % 10] as name
) as f;
