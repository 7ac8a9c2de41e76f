/**
 * A source covering the value kinds a data move must carry exactly, and the same tables on a
 * target without foreign keys (they come in post-data) but with a trigger that would refuse
 * every row if it fired.
 */
const TABLES = `
create schema app;
create type app.mood as enum ('sad', 'ok', 'very happy');
create sequence app.order_no start 1000;
create table app.kinds (
  id bigint generated always as identity primary key,
  i int, b bigint, n numeric(30, 10), f float8, t text, bin bytea, jb jsonb, js json,
  arr int[], tarr text[], m app.mood, ts timestamptz, tsl timestamp, d date, iv interval, u uuid, ok boolean,
  doubled bigint generated always as (b * 2) stored
);
create table app.nokey (line text, n int);
create table app.events (id int not null, at date not null, payload text, primary key (id, at)) partition by range (at);
create table app.events_2024 partition of app.events for values from ('2024-01-01') to ('2025-01-01');
create table app.events_2025 partition of app.events for values from ('2025-01-01') to ('2026-01-01');
create table app.tree (id int primary key, parent_id int, name text);
create table app.tags (name text primary key, weight int);
`;

export const SOURCE_DDL = `${TABLES}
alter table app.tree add foreign key (parent_id) references app.tree (id);
`;

export const TARGET_DDL = `${TABLES}
create function app.refuse() returns trigger language plpgsql as $$ begin raise exception 'trigger fired'; end $$;
create trigger refuse_kinds before insert on app.kinds for each row execute function app.refuse();
create trigger refuse_tree before insert on app.tree for each row execute function app.refuse();
`;

/** Rows with the awkward cases: '', NULL, unicode, COPY's escape characters, zones, a 1 MB value. */
export function seedSql(rows: number): string {
  return `
set time zone 'Asia/Kolkata';
insert into app.kinds (i, b, n, f, t, bin, jb, js, arr, tarr, m, ts, tsl, d, iv, u, ok)
select g, g::bigint * 1000000007, (g * 3.1415926535)::numeric(30, 10), g / 7.0::float8,
  case g % 6 when 0 then '' when 1 then null when 2 then 'héllo 世界 🎉' when 3 then E'tab\\there\\nnew\\\\line' else 'plain ' || g end,
  case when g % 5 = 0 then null else decode(lpad(to_hex(g), 8, '0') || '00ff5c0a', 'hex') end,
  case when g % 4 = 0 then null else jsonb_build_object('g', g, 'nested', jsonb_build_object('a', array[g, g + 1]), 's', E'q"\\\\') end,
  case when g % 3 = 0 then null else ('{"b": ' || g || ',   "a": "x"}')::json end,
  case when g % 7 = 0 then null else array[g, null, -g] end,
  array['a"b', '', null, E'back\\\\slash', '{brace}'],
  (array['sad', 'ok', 'very happy', null])[g % 4 + 1]::app.mood,
  timestamptz '2024-03-10 01:30:00 America/New_York' + g * interval '37 minutes',
  timestamp '2024-01-01 00:00:00' + g * interval '1 second',
  date '2024-02-28' + g, make_interval(days => g, secs => g / 3.0),
  md5(g::text)::uuid, g % 2 = 0
from generate_series(1, ${rows}) as g;
insert into app.kinds (t, bin) values (repeat('large ', 200000), decode(repeat('ab', 300000), 'hex'));
insert into app.nokey select case when g % 3 = 0 then null else 'line ' || g end, g from generate_series(1, ${rows}) as g;
insert into app.nokey values ('dup', 1), ('dup', 1), ('', null);
insert into app.events select g, date '2024-06-01' + (g % 400), 'p' || g from generate_series(1, ${rows}) as g;
insert into app.tree values (1, null, 'root');
insert into app.tree select g, g / 2, 'node ' || g from generate_series(2, ${rows}) as g;
insert into app.tags select 'tag ' || lpad(g::text, 5, '0') || case when g % 2 = 0 then ' ü' else '' end, g from generate_series(1, ${rows}) as g;
select nextval('app.order_no') from generate_series(1, 5);
reset time zone;
`;
}
