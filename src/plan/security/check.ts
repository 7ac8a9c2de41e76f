import { UserError } from '../../errors';
import type { SecurityPattern, UsersTable } from '../../spec/types';
import type { SecurityContext } from './context';
import { exposedSchemas } from '../../spec/exposed';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/** Spec against snapshot: every table and column a pattern names must exist. All problems at once. */
export function checkSecuritySpec(ctx: SecurityContext): void {
  const problems: string[] = [];
  const { security } = ctx.spec;
  for (const [key, patterns] of Object.entries(security.tables ?? {})) {
    const table = ctx.findTable(key);
    if (!table) {
      problems.push(`security.${key}: no table ${key} among the migrated tables`);
      continue;
    }
    patterns.forEach((p, i) => problems.push(...patternProblems(ctx, `security.${key}[${i}].${p.kind}`, key, p)));
  }
  if (security.usersTable) problems.push(...usersTableProblems(ctx, security.usersTable));
  for (const key of security.acknowledgeAnonWrites ?? []) {
    if (!ctx.findTable(key))
      problems.push(`security.acknowledge_anon_writes: no table ${key} among the migrated tables`);
  }
  problems.push(...viewAccessProblems(ctx));
  if (problems.length > 0) {
    throw new UserError(
      `the security spec does not match the source schema:\n  ${problems.join('\n  ')}`,
      'name tables and views as schema.name and columns as they are in the source (see .supamigrate/snapshot.json)',
    );
  }
}

/** `security.views`: each key a view of the source in an exposed schema; rights only for plain views. */
function viewAccessProblems(ctx: SecurityContext): string[] {
  const exposed = new Set(exposedSchemas(ctx.spec));
  const views = new Map(ctx.snapshot.views.map((v) => [`${v.schema}.${v.name}`, v]));
  return Object.entries(ctx.spec.security.views ?? {}).flatMap(([key, access]) => {
    const view = views.get(key);
    if (!view) return [`security.views.${key}: no view or materialized view ${key} in the source`];
    if (!exposed.has(ctx.schemaOf(view.schema)))
      return [
        `security.views.${key}: schema ${ctx.schemaOf(view.schema)} is not exposed (security.exposed_schemas), so the API never serves it`,
      ];
    if (view.materialized && access.rights)
      return [
        `security.views.${key}.rights: a materialized view has no rights of its own to set (it holds rows); use open`,
      ];
    return [];
  });
}

function patternProblems(ctx: SecurityContext, at: string, key: string, p: SecurityPattern): string[] {
  switch (p.kind) {
    case 'owner':
    case 'tenant':
      return columnProblems(ctx, at, key, [p.column]);
    case 'membership':
      return [
        ...columnProblems(ctx, at, key, [p.key]),
        ...columnProblems(ctx, `${at}.table`, p.table, [p.memberKey, p.userColumn]),
      ];
    case 'public_read':
      return p.filter !== null && IDENTIFIER.test(p.filter) ? flagProblems(ctx, at, key, p.filter) : [];
    case 'custom':
      return needsUsing(p) && p.using === null && p.withCheck === null ? [`${at}: needs using or with_check`] : [];
    default:
      return [];
  }
}

const needsUsing = (p: SecurityPattern): boolean => p.operations.length > 0;

function columnProblems(ctx: SecurityContext, at: string, key: string, columns: string[]): string[] {
  const table = ctx.findTable(key);
  if (!table) return [`${at}: no table ${key} among the migrated tables`];
  const names = new Set(table.columns.map((c) => c.name));
  return columns.filter((c) => !names.has(c)).map((c) => `${at}: ${key} has no column ${c}`);
}

function flagProblems(ctx: SecurityContext, at: string, key: string, column: string): string[] {
  const found = ctx.findTable(key)?.columns.find((c) => c.name === column);
  if (!found) return [`${at}.filter: ${key} has no column ${column} (write an SQL condition, or a boolean column)`];
  return found.type === 'boolean' ? [] : [`${at}.filter: ${key}.${column} is ${found.type}, not boolean`];
}

/** The users table's id must be a uuid to reference auth.users(id); seeding reads the named columns. */
function usersTableProblems(ctx: SecurityContext, u: UsersTable): string[] {
  const at = 'security.users_table';
  const problems = columnProblems(ctx, at, u.table, [u.idColumn]);
  const table = ctx.findTable(u.table);
  if (!table || problems.length > 0 || u.authUsers === 'none') return problems;
  const id = table.columns.find((c) => c.name === u.idColumn);
  if (id && id.type !== 'uuid')
    problems.push(
      `${at}.id_column: ${u.table}.${u.idColumn} is ${id.type}, but auth.users ids are uuid (set auth_users: none to keep the table unlinked)`,
    );
  if (u.authUsers !== 'seed') return problems;
  problems.push(
    ...columnProblems(ctx, `${at}.email_column`, u.table, [u.emailColumn]).map(
      (p) => `${p} (name the email column with email_column)`,
    ),
  );
  if (u.passwordColumn !== null)
    problems.push(...columnProblems(ctx, `${at}.password_column`, u.table, [u.passwordColumn]));
  for (const [claim, column] of Object.entries(u.appMetadata))
    problems.push(...columnProblems(ctx, `${at}.app_metadata.${claim}`, u.table, [column]));
  return problems;
}
