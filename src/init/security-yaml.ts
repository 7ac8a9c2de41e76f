import type { Analysis } from '../analyze/types';
import type { Snapshot } from '../introspect/snapshot';
import { authUsersChoice } from './auth-users-choice';
import { comment } from './comments';
import { sourceRoleLines } from './source-roles';
import { proposeSecurity, type ProposedPattern, type UsersTableProposal } from './security';

/** The keys the spec accepts for a table (schemas/migration.schema.json). */
const TABLE_KEY = /^[A-Za-z_][A-Za-z0-9_$]*\.[A-Za-z_][A-Za-z0-9_$]*$/;

const HEADER = [
  'Who may reach which rows through the API, proposed from the source. Every table in public gets',
  "row level security and explicit grants; a table not listed below keeps the source's policies when the",
  'source had RLS on it, and is otherwise reachable by service_role only.',
  'The proposals open reads only: add insert, update, delete to `operations` where users should write.',
];

function usersTableLines(u: UsersTableProposal, snapshot: Snapshot): string[] {
  const meta = u.appMetadata.map(([claim, column]) => `${claim}: ${column}`).join(', ');
  const choice = authUsersChoice(snapshot, u.table, u.idColumn);
  return [
    comment(`${u.table} looks like the user list (${u.why}).`, '  '),
    ...choice.why.map((line) => comment(line, '  ')),
    '  users_table:',
    `    table: ${u.table}`,
    `    id_column: ${u.idColumn}`,
    `    auth_users: ${choice.value}`,
    `    email_column: ${u.emailColumn}`,
    ...(u.passwordColumn ? [`    password_column: ${u.passwordColumn}`] : []),
    ...(meta
      ? [
          comment('copied into app_metadata, where the tenant and role patterns read them from the JWT', '    '),
          `    app_metadata: { ${meta} }`,
        ]
      : []),
  ];
}

function patternLines(p: ProposedPattern): string[] {
  const body = p.yaml.map((l, i) => `    ${i === 0 ? '- ' : '  '}${l}`);
  return [comment(p.why, '    '), ...(p.commented ? body.map((l) => comment(l.slice(4), '    ')) : body)];
}

function tableLines(table: string, patterns: ProposedPattern[]): string[] {
  const live = patterns.some((p) => !p.commented);
  const lines = [`  ${table}:`, ...patterns.flatMap(patternLines)];
  // A table key needs at least one live item; with none, the whole block stays a comment.
  return live ? lines : lines.map((l) => (l.trimStart().startsWith('#') ? l : comment(l.trimStart(), '  ')));
}

/** The live `security:` section of the migration.yaml that init writes, each proposal explained. */
export function securitySection(snapshot: Snapshot, analysis: Analysis): string[] {
  const proposal = proposeSecurity(snapshot, analysis);
  const tables = proposal.tables.filter(([t]) => TABLE_KEY.test(t));
  const skipped = proposal.tables
    .filter(([t]) => !TABLE_KEY.test(t))
    .map(([t]) => `${t}: its name cannot be a security key; write its patterns by hand`);
  const notes = [...proposal.notes, ...skipped].map((n) => comment(n, '  '));
  const roles = sourceRoleLines(snapshot);
  const live =
    proposal.usersTable !== null ||
    roles.length > 0 ||
    tables.some(([, patterns]) => patterns.some((p) => !p.commented));
  if (!live && tables.length === 0) {
    return [
      '',
      ...HEADER.map((l) => comment(l)),
      comment('Nothing was detected to propose (no users table, tenant, owner, membership, publish flag or grants).'),
      ...notes,
    ];
  }
  const body = [
    'security:',
    ...notes,
    ...(proposal.usersTable ? usersTableLines(proposal.usersTable, snapshot) : []),
    ...tables.flatMap(([t, patterns]) => tableLines(t, patterns)),
    ...roles,
  ];
  // Without one live entry the section would be empty (null in YAML): keep all of it as comments.
  return [
    '',
    ...HEADER.map((l) => comment(l)),
    ...(live ? body : body.map((l) => (l.trimStart().startsWith('#') ? l : comment(l)))),
  ];
}
