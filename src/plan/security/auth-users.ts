import { AUTH_TOKEN_COLUMNS } from '../../introspect/auth-tokens';
import { ident, literal, qname } from '../../sql';
import type { UsersTable } from '../../spec/types';
import { step } from '../schema/step';
import type { Step } from '../types';
import type { SecurityContext } from './context';

/** Where the seed step records the auth.users rows it created, so its down removes only those. */
export const SEEDED_TABLE = 'supamigrate.seeded_auth_users';

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';
const TOKEN_COLUMNS = AUTH_TOKEN_COLUMNS;
// Only bcrypt hashes ($2a$, $2b$, $2y$ with a cost) are understood by Supabase Auth; anything else
// would never match, so such users get an empty password and sign in by magic link or reset.
const BCRYPT = '^\\$2[abxy]\\$[0-9]{2}\\$';

interface UsersTarget {
  spec: UsersTable;
  /** Quoted target table. */
  sql: string;
  schema: string;
  name: string;
}

function usersTarget(ctx: SecurityContext): UsersTarget | null {
  const spec = ctx.spec.security.usersTable;
  if (!spec || spec.authUsers === 'none') return null;
  const [schema, name] = spec.table.split('.');
  const target = ctx.schemaOf(schema);
  return { spec, sql: qname(target, name), schema: target, name };
}

/** The name Postgres would give the foreign key, kept under 63 bytes. */
export function authUsersFkName(table: string, column: string): string {
  const suffix = `_${column}_auth_users_fkey`;
  return `${table.slice(0, Math.max(1, 63 - suffix.length))}${suffix}`.slice(0, 63);
}

function appMetadata(u: UsersTable): string {
  const base = `jsonb_build_object('provider', 'email', 'providers', jsonb_build_array('email'))`;
  const claims = Object.entries(u.appMetadata).flatMap(([claim, column]) => [literal(claim), `u.${ident(column)}`]);
  return claims.length === 0 ? base : `${base} || jsonb_strip_nulls(jsonb_build_object(${claims.join(', ')}))`;
}

function password(u: UsersTable): string {
  if (u.passwordColumn === null) return "''";
  const col = `u.${ident(u.passwordColumn)}`;
  return `case when ${col}::text ~ ${literal(BCRYPT)} then ${col}::text else '' end`;
}

/** The auth.users columns a seeded user sets, in the order of seededValues. */
const SEEDED_COLUMNS = [
  'instance_id',
  'id',
  'aud',
  'role',
  'email',
  'encrypted_password',
  'email_confirmed_at',
  'raw_app_meta_data',
  'raw_user_meta_data',
  'created_at',
  'updated_at',
];

/** The expressions that fill SEEDED_COLUMNS and TOKEN_COLUMNS from a profile row `u`. */
function seededValues(u: UsersTable, id: string): string[] {
  return [
    `${literal(ZERO_UUID)}::uuid`,
    id,
    "'authenticated'",
    "'authenticated'",
    `u.${ident(u.emailColumn)}::text`,
    password(u),
    'now()',
    appMetadata(u),
    "'{}'::jsonb",
    'now()',
    'now()',
    ...TOKEN_COLUMNS.map(() => "''"),
  ];
}

/**
 * An auth.users row, and an email identity, for every migrated user that has none yet: the
 * profile rows were loaded in the data phase, so the foreign key that follows holds, and the
 * users can sign in with their email (and their bcrypt password, when the spec names it).
 * Their ids are the profile ids, so every owner column keeps pointing at the right person.
 */
function seedStep(t: UsersTarget): Step {
  const u = t.spec;
  const id = `u.${ident(u.idColumn)}`;
  const columns = [...SEEDED_COLUMNS, ...TOKEN_COLUMNS];
  const values = seededValues(u, id);
  const up = [
    'create schema if not exists supamigrate;',
    `create table ${SEEDED_TABLE} (id uuid primary key);`,
    'with seeded as (',
    `  insert into auth.users (${columns.join(', ')})`,
    `  select ${values.join(', ')}`,
    `  from ${t.sql} u`,
    `  where ${id} is not null and not exists (select from auth.users a where a.id = ${id})`,
    '  returning id',
    ')',
    `insert into ${SEEDED_TABLE} (id) select id from seeded;`,
    'insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)',
    "select a.id::text, a.id, jsonb_build_object('sub', a.id::text, 'email', a.email, 'email_verified', true), " +
      "'email', now(), now()",
    `from ${SEEDED_TABLE} s join auth.users a on a.id = s.id`,
    'where a.email is not null;',
  ];
  const down = [
    `delete from auth.identities where user_id in (select id from ${SEEDED_TABLE});`,
    `delete from auth.users where id in (select id from ${SEEDED_TABLE});`,
    `drop table ${SEEDED_TABLE};`,
  ];
  return step(
    `security:auth-users:seed:${t.schema}.${t.name}`,
    'security',
    'auth-users',
    up.join('\n'),
    down.join('\n'),
  );
}

/** The source users table stays as the profile table: its id references auth.users(id). */
function foreignKeyStep(t: UsersTarget): Step {
  const name = ident(authUsersFkName(t.name, t.spec.idColumn));
  const up = `alter table ${t.sql} add constraint ${name} foreign key (${ident(t.spec.idColumn)}) references auth.users (id) on delete cascade;`;
  return step(
    `security:fk:${t.schema}.${t.name}.auth_users`,
    'security',
    'foreign-key',
    up,
    `alter table ${t.sql} drop constraint ${name};`,
  );
}

/**
 * Supabase Auth keeps the passwords from now on: a user who signs up there gets a profile row
 * without a legacy hash, so a NOT NULL password column would refuse every sign-up.
 */
function passwordNullableStep(ctx: SecurityContext, t: UsersTarget): Step[] {
  const column = t.spec.passwordColumn;
  const source = ctx.findTable(t.spec.table)?.columns.find((c) => c.name === column);
  if (column === null || !source?.notNull) return [];
  const alter = `alter table ${t.sql} alter column ${ident(column)}`;
  return [
    step(
      `security:auth-users:password-nullable:${t.schema}.${t.name}`,
      'security',
      'auth-users',
      `${alter} drop not null;`,
      `${alter} set not null;`,
    ),
  ];
}

/**
 * Links the users table to Supabase Auth. With `seed` the auth.users rows are created from the
 * migrated rows first (after the data phase, before the foreign key is checked); with `existing`
 * they were imported beforehand and the foreign key alone is added, failing loudly if any is missing.
 */
export function authUsersSteps(ctx: SecurityContext): Step[] {
  const t = usersTarget(ctx);
  if (!t) return [];
  const link = t.spec.authUsers === 'seed' ? [seedStep(t), foreignKeyStep(t)] : [foreignKeyStep(t)];
  return [...link, ...passwordNullableStep(ctx, t)];
}
