import type { ApiRole, Operation } from '../../spec/types';
import { ident, literal, qname } from '../../sql';
import type { GeneratedFile } from '../types';
import { insertColumns, otherTenantValue, settableColumns, SOME_USER, STRANGER } from './actors';
import type { CoveredTable, SecurityContext } from './context';
import { OPERATIONS } from './policies';
import { expectedSql, insertedRowSql } from './pgtap-expect';

/**
 * Functions the tests share. sm_try acts as an API role the way PostgREST does and always
 * raises at the end, so whatever the statement changed is rolled back before the next test.
 */
const PRELUDE = `create function pg_temp.sm_with_claim(c jsonb, path text[], v text) returns jsonb language plpgsql as $$
begin
  for i in 1 .. coalesce(array_length(path, 1), 0) - 1 loop
    if jsonb_typeof(c #> path[1:i]) is distinct from 'object' then c := jsonb_set(c, path[1:i], '{}'::jsonb, true); end if;
  end loop;
  return jsonb_set(c, path, to_jsonb(v), true);
end $$;

create function pg_temp.sm_holds(t text, rowid text, expr text, claims jsonb) returns boolean language plpgsql as $$
declare ok boolean;
begin
  perform set_config('request.jwt.claims', claims::text, true);
  execute format('select exists (select 1 from %s where ctid = %L::tid and (%s))', t, rowid, expr) into ok;
  return ok;
end $$;

create function pg_temp.sm_try(api_role text, claims jsonb, stmt text) returns text language plpgsql as $$
declare n bigint;
begin
  perform set_config('request.jwt.claims', claims::text, true);
  perform set_config('role', api_role, true);
  execute stmt;
  get diagnostics n = row_count;
  raise exception using errcode = 'SMOK0', message = case when n > 0 then 'allowed' else 'denied' end;
exception
  when sqlstate 'SMOK0' then return sqlerrm;
  when insufficient_privilege then return 'denied';
  -- Privileges and row level security are checked before constraints: access was granted.
  when integrity_constraint_violation then return 'allowed';
  when others then return 'error: ' || sqlerrm;
end $$;`;

interface ActorSql {
  name: string;
  role: ApiRole | 'service_role';
  claims: string;
}

function actorsSql(covered: CoveredTable): ActorSql[] {
  const owner = covered.patterns.find((p) => p.kind === 'owner');
  const member = covered.patterns.find((p) => p.kind === 'membership');
  let sub = literal(SOME_USER);
  if (owner?.kind === 'owner') sub = `p.r ->> ${literal(owner.column)}`;
  else if (member?.kind === 'membership') {
    const [schema, name] = member.table.split('.');
    sub = `(select m.${ident(member.userColumn)}::text from ${qname(schema, name)} m where m.${ident(member.memberKey)}::text = (p.r ->> ${literal(member.key)}) order by 1 limit 1)`;
  }
  const tenants = covered.patterns.flatMap((p) => (p.kind === 'tenant' ? [p] : []));
  const roles = covered.patterns.flatMap((p) => (p.kind === 'role' ? [p] : []));
  const claimPath = (c: string[]) => literal(`{${c.join(',')}}`);
  const user = (s: string) =>
    `jsonb_build_object('sub', coalesce(${s}, ${literal(SOME_USER)}), 'role', 'authenticated')`;
  const inTenant = (c: string) =>
    tenants.reduce((acc, p) => `pg_temp.sm_with_claim(${acc}, ${claimPath(p.claim)}, p.r ->> ${literal(p.column)})`, c);
  const outOfTenant = (c: string) =>
    tenants.reduce(
      (acc, p) =>
        `pg_temp.sm_with_claim(${acc}, ${claimPath(p.claim)}, ${literal(otherTenantValue(covered, p.column))})`,
      c,
    );
  const actors: ActorSql[] = [
    { name: 'anon', role: 'anon', claims: `'{"role": "anon"}'::jsonb` },
    { name: 'owner', role: 'authenticated', claims: inTenant(user(sub)) },
    { name: 'other_user', role: 'authenticated', claims: inTenant(user(literal(STRANGER))) },
  ];
  if (tenants.length > 0)
    actors.push({ name: 'other_tenant', role: 'authenticated', claims: outOfTenant(user(literal(STRANGER))) });
  if (roles.length > 0) {
    const claims = roles.reduce(
      (acc, p) => `pg_temp.sm_with_claim(${acc}, ${claimPath(p.claim)}, ${literal(p.values[0])})`,
      outOfTenant(user(literal(STRANGER))),
    );
    actors.push({ name: 'role_holder', role: 'authenticated', claims });
  }
  actors.push({ name: 'service_role', role: 'service_role', claims: `'{"role": "service_role"}'::jsonb` });
  return actors;
}

/** The statement an actor runs, as SQL that builds it from the probed row. */
function statementSql(covered: CoveredTable, op: Operation): string {
  const t = covered.sql.replace(/%/g, '%%');
  const first = ident(settableColumns(covered)[0].name).replace(/%/g, '%%');
  if (op === 'select') return `format(${literal(`select 1 from ${t} where ctid = %L::tid`)}, p.rowid)`;
  if (op === 'delete') return `format(${literal(`delete from ${t} where ctid = %L::tid`)}, p.rowid)`;
  if (op === 'update') return `format(${literal(`update ${t} set ${first} = ${first} where ctid = %L::tid`)}, p.rowid)`;
  const cols = insertColumns(covered).map(ident).join(', ').replace(/%/g, '%%');
  return `format(${literal(`insert into ${t} (${cols}) select ${cols} from jsonb_populate_record(null::${t}, %L::jsonb)`)}, ${insertedRowSql(covered)})`;
}

function tableTest(covered: CoveredTable): string {
  const actors = actorsSql(covered);
  const label = `${covered.schema}.${covered.table.name}`;
  const tests = actors.flatMap((a) =>
    OPERATIONS.map((op) =>
      [
        `select is(pg_temp.sm_try(a.role, a.claims, ${statementSql(covered, op)}),`,
        `  case when ${expectedSql(covered, op)} then 'allowed' else 'denied' end,`,
        `  ${literal(`${label}: ${a.name} ${op}`)})`,
        `from sm_probe p join sm_actor a on a.name = ${literal(a.name)};`,
      ].join('\n'),
    ),
  );
  return [
    `-- Generated by supamigrate from the security spec: who may select, insert, update and delete`,
    `-- rows of ${label}. Acts on the table's first row; run with pg_prove or \`supabase test db\`.`,
    'begin;',
    `set local search_path = "$user", public, extensions;`,
    'create extension if not exists pgtap with schema extensions;',
    `select plan(${tests.length});`,
    '',
    PRELUDE,
    '',
    `create temp table sm_probe on commit drop as select t.ctid::text as rowid, to_jsonb(t) as r from ${covered.sql} t order by t.ctid limit 1;`,
    'create temp table sm_actor on commit drop as',
    actors
      .map(
        (a, i) =>
          `  ${i === 0 ? '' : 'union all '}select ${literal(a.name)}::text as name, ${literal(a.role)}::text as role, ${a.claims} as claims from sm_probe p`,
      )
      .join('\n') + ';',
    '',
    ...tests.flatMap((t) => [t, '']),
    'select * from finish();',
    'rollback;',
    '',
  ].join('\n');
}

/** One pgTAP file per governed table, in supabase/tests/database where `supabase test db` looks. */
export function pgtapFiles(ctx: SecurityContext): GeneratedFile[] {
  const dir = `${ctx.spec.output.supabaseDir}/tests/database`;
  return ctx.tables
    .filter((t) => !t.carried)
    .map((t) => ({
      path: `${dir}/${t.schema === 'public' ? t.table.name : `${t.schema}.${t.table.name}`}.test.sql`,
      content: tableTest(t),
    }));
}
