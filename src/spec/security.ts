import type { SpecProblem } from '../yaml/problem';
import type {
  ApiRole,
  Operation,
  PatternShape,
  SecurityPattern,
  SecuritySpec,
  SourceRoleTreatment,
  UsersTable,
  ViewAccess,
} from './types';

type Plain = Record<string, unknown>;

/** A pattern kind's settings as validated; which of them are there depends on the kind. */
interface RawPatternBody {
  column: string;
  claim: string;
  table: string;
  key: string;
  member_key: string;
  user_column: string;
  values: string[];
  filter?: string | null;
  using?: string | null;
  with_check?: string | null;
  to?: ApiRole[];
}

/** One validated pattern item: exactly one kind key, plus operations and roles. */
interface RawPattern {
  operations?: Operation[];
  roles?: ApiRole[];
  custom?: RawPatternBody;
  [kind: string]: unknown;
}

interface RawUsersTable {
  table: string;
  id_column: string;
  auth_users?: UsersTable['authUsers'];
  email_column?: string;
  password_column?: string | null;
  app_metadata?: Record<string, string>;
}

/** The validated `security:` section: its settings, and `schema.table` keys holding pattern lists. */
export interface RawSecurity {
  exposed_schemas?: string[];
  users_table?: RawUsersTable;
  acknowledge_anon_writes?: string[];
  pin_search_path?: SecuritySpec['pinSearchPath'];
  roles?: Record<string, RawRoleTreatment>;
  views?: Record<string, { rights?: ViewAccess['rights']; open?: ApiRole[] }>;
  [table: string]: unknown;
}

interface RawRoleTreatment {
  treatment: 'create' | 'map';
  login?: boolean;
  owns?: boolean;
  to?: 'anon' | 'authenticated' | 'service_role';
}

export const PATTERN_KINDS = [
  'owner',
  'tenant',
  'membership',
  'role',
  'public_read',
  'authenticated_read',
  'service_only',
  'custom',
] as const;
const ALL_OPERATIONS: Operation[] = ['select', 'insert', 'update', 'delete'];
const READ_ONLY = new Set(['public_read', 'authenticated_read']);
const SETTINGS = new Set([
  'exposed_schemas',
  'users_table',
  'acknowledge_anon_writes',
  'pin_search_path',
  'roles',
  'views',
]);

const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);
const kindsOf = (item: Plain): string[] => PATTERN_KINDS.filter((k) => k in item);

/** Maps the validated `security:` section; keys the file left out stay out. */
export function toSecuritySpec(raw: RawSecurity): SecuritySpec {
  const out: SecuritySpec = {};
  if (raw.exposed_schemas) out.exposedSchemas = raw.exposed_schemas;
  if (raw.users_table) out.usersTable = toUsersTable(raw.users_table);
  if (raw.acknowledge_anon_writes) out.acknowledgeAnonWrites = raw.acknowledge_anon_writes;
  if (raw.pin_search_path) out.pinSearchPath = raw.pin_search_path;
  if (raw.roles) out.roles = toRoleTreatments(raw.roles);
  if (raw.views) out.views = toViewAccess(raw.views);
  const tables = Object.keys(raw)
    .filter((k) => !SETTINGS.has(k))
    .sort();
  if (tables.length > 0)
    out.tables = Object.fromEntries(tables.map((t) => [t, (raw[t] as RawPattern[]).map(toPattern)]));
  return out;
}

function toViewAccess(raw: NonNullable<RawSecurity['views']>): Record<string, ViewAccess> {
  return Object.fromEntries(
    Object.keys(raw)
      .sort()
      .map((name) => {
        const { rights, open } = raw[name];
        return [name, { ...(rights ? { rights } : {}), open: [...(open ?? [])].sort() }];
      }),
  );
}

function toRoleTreatments(raw: Record<string, RawRoleTreatment>): Record<string, SourceRoleTreatment> {
  return Object.fromEntries(
    Object.keys(raw)
      .sort()
      .map((name) => {
        const r = raw[name];
        const treatment: SourceRoleTreatment =
          r.treatment === 'map'
            ? { treatment: 'map', to: r.to! }
            : { treatment: 'create', login: r.login ?? false, ...(r.owns === true ? { owns: true as const } : {}) };
        return [name, treatment];
      }),
  );
}

function toUsersTable(v: RawUsersTable): UsersTable {
  const appMetadata = (v.app_metadata ?? {}) as Record<string, string>;
  return {
    table: v.table,
    idColumn: v.id_column,
    authUsers: v.auth_users ?? 'seed',
    emailColumn: v.email_column ?? 'email',
    passwordColumn: v.password_column ?? null,
    appMetadata: Object.fromEntries(
      Object.keys(appMetadata)
        .sort()
        .map((k) => [k, appMetadata[k]]),
    ),
  };
}

function toPattern(item: RawPattern): SecurityPattern {
  const kind = kindsOf(item)[0];
  const shape = toShape(kind, item[kind] as RawPatternBody);
  const readOnly = READ_ONLY.has(kind);
  const operations: Operation[] =
    item.operations ?? (readOnly ? ['select'] : kind === 'service_only' ? [] : ALL_OPERATIONS);
  const defaultRoles: ApiRole[] =
    kind === 'public_read' ? ['anon', 'authenticated'] : kind === 'service_only' ? [] : ['authenticated'];
  const roles: ApiRole[] = item.roles ?? (kind === 'custom' ? item.custom!.to : undefined) ?? defaultRoles;
  return { ...shape, operations: [...operations].sort(), roles: [...roles].sort() };
}

function toShape(kind: string, v: RawPatternBody): PatternShape {
  switch (kind) {
    case 'owner':
      return { kind, column: v.column };
    case 'tenant':
      return { kind, column: v.column, claim: v.claim.split('.') };
    case 'membership':
      return { kind, table: v.table, key: v.key, memberKey: v.member_key, userColumn: v.user_column };
    case 'role':
      return { kind, claim: v.claim.split('.'), values: v.values };
    case 'public_read':
      return { kind, filter: v.filter ?? null };
    case 'custom':
      return { kind, using: v.using ?? null, withCheck: v.with_check ?? null };
    default:
      return { kind: kind as 'authenticated_read' | 'service_only' };
  }
}

/** What the schema cannot say: one pattern per item, read patterns stay reads, anon writes are acknowledged. */
export function securityProblems(raw: unknown): SpecProblem[] {
  if (!isPlain(raw)) return [];
  const acknowledged = Array.isArray(raw.acknowledge_anon_writes) ? (raw.acknowledge_anon_writes as unknown[]) : [];
  const problems: SpecProblem[] = [];
  for (const [table, items] of Object.entries(raw).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (SETTINGS.has(table) || !Array.isArray(items)) continue;
    items.forEach((item, index) => {
      if (isPlain(item)) problems.push(...itemProblems(table, index, item, acknowledged.includes(table)));
    });
  }
  return problems;
}

function itemProblems(table: string, index: number, item: Plain, anonWritesAcknowledged: boolean): SpecProblem[] {
  const path = ['security', table, index];
  const kinds = kindsOf(item);
  if (kinds.length !== 1) {
    const message =
      kinds.length === 0 ? 'names no access pattern' : `names ${kinds.length} access patterns (${kinds.join(', ')})`;
    return [{ path, message, fix: `write exactly one of ${PATTERN_KINDS.join(', ')} per list item` }];
  }
  const kind = kinds[0];
  const ops = Array.isArray(item.operations) ? (item.operations as string[]) : [];
  const writes = ops.filter((o) => o !== 'select');
  if (READ_ONLY.has(kind) && writes.length > 0) {
    return [
      {
        path: [...path, 'operations'],
        message: `${kind} only reads, but operations list ${writes.join(', ')}`,
        fix: 'use owner, tenant, membership, role or custom to open writes',
      },
    ];
  }
  if (kind === 'service_only' && (item.operations !== undefined || item.roles !== undefined)) {
    return [
      {
        path,
        message: 'service_only takes no operations or roles',
        fix: 'remove operations and roles: only service_role reaches the rows',
      },
    ];
  }
  const roles = (item.roles ?? (isPlain(item.custom) ? item.custom.to : undefined)) as unknown;
  const anon = Array.isArray(roles) && roles.includes('anon');
  const effectiveWrites =
    item.operations === undefined && !READ_ONLY.has(kind) ? ['insert', 'update', 'delete'] : writes;
  if (anon && effectiveWrites.length > 0 && !anonWritesAcknowledged) {
    return [
      {
        path,
        message: `opens ${effectiveWrites.join(', ')} on ${table} to anon (anyone without signing in)`,
        fix: `add ${table} to security.acknowledge_anon_writes if that is intended, or drop anon from roles`,
      },
    ];
  }
  return [];
}
