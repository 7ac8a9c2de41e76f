-- Shapes the types generator has to get right, beyond the example and Chinook.
create type public.mood as enum ('happy', 'sad', 'a value long enough to force the union onto lines', 'another long value here');
create type public.address as (street text, zip varchar(10), tags text[]);
create domain public.email as text not null check (value like '%@%');
create domain public.score as numeric(5,2);
create table public.authors (
  id bigint generated always as identity primary key,
  email public.email,
  score public.score,
  home public.address,
  moods public.mood[] not null default '{}',
  created timestamptz not null default now(),
  "Weird Name" text,
  "select" int,
  payload json,
  meta jsonb not null default '{}',
  born date, lunch time, span interval, bits bytea, flag boolean, ratio real, big numeric, money_col money, ip inet,
  slug text generated always as (lower(email)) stored
);
create table public.books (
  id serial primary key,
  author_id bigint not null references public.authors(id),
  editor_id bigint references public.authors(id),
  isbn text unique,
  mood public.mood
);
create table public.book_details (book_id int primary key references public.books(id), pages int);
create table public.pairs (a int, b int, note text, primary key (a, b));
create table public.pair_notes (a int, b int, body text, foreign key (a, b) references public.pairs(a, b));
create table public.events (id int, at date not null, primary key (id, at)) partition by range (at);
create table public.events_2024 partition of public.events for values from ('2024-01-01') to ('2025-01-01');
create view public.author_emails as select a.id, a.email, a.score from public.authors a where a.id > 0;
create view public.book_authors as select b.id as book_id, b.isbn, a.id as writer, a.email from public.books b join public.authors a on a.id = b.author_id;
create view public.mood_counts as select mood, count(*) as n from public.books group by mood;
create view public.plain_books as select * from public.books;
create view public.trig_view as select b.id, b.isbn || '!' as loud from public.books b;
create function public.trig_view_insert() returns trigger language plpgsql as $$ begin return new; end $$;
create trigger trig_view_ins instead of insert on public.trig_view for each row execute function public.trig_view_insert();
create materialized view public.book_totals as select author_id, count(*) as n from public.books group by author_id;
create function public.add(a int, b int) returns int language sql as 'select a + b';
create function public.add(a text, b text) returns text language sql as 'select a || b';
create function public.books_by(author bigint) returns setof public.books language sql stable as 'select * from public.books where author_id = author';
create function public.one_book(book int) returns public.books language sql stable as 'select * from public.books where id = book';
create function public.stats(since date default null) returns table (n bigint, latest date, m public.mood) language sql as 'select 1::bigint, now()::date, null::public.mood';
create function public.ping() returns void language sql as '';
create function public.echo(jsonb) returns jsonb language sql as 'select $1';
create function public.twice(int) returns int language sql as 'select $1 * 2';
create function public.tags() returns setof text language sql as 'select ''x''';
create function public.moods_of(b public.books) returns public.mood[] language sql as 'select array[b.mood]';
create function public.addr() returns public.address language sql as 'select null::public.address';
create function public.greet(name text default 'you', loud boolean default false) returns text language sql as 'select name';
create function public.outs(x int, out doubled int, out tripled int) language sql as 'select x * 2, x * 3';
create procedure public.proc() language sql as 'select 1';
create function public.pick(a int) returns int language sql as 'select a';
create function public.pick(a text) returns text language sql as 'select a';
create function public.noarg() returns int language sql as 'select 1';
create function public.noarg(text default 'x') returns int language sql as 'select 1';
create function public.lim(n int) returns setof int language sql rows 1 as 'select n';
create view public.v_union as select id, author_id from public.books union all select id, author_id from public.books;
create view public.v_cte as with x as (select * from public.books) select id, author_id from x;
create view public.v_sub as select s.id, s.author_id from (select b.id, b.author_id from public.books b) s;
create view public.v_only as select id, author_id from only public.books;
create view public.v_distinct as select distinct author_id from public.books;
create view public.v_cross as select b.id, b.author_id from public.books b, public.authors a where a.id = b.author_id;
