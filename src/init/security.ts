import type { Analysis, Pattern } from '../analyze/types';
import { isUuid } from '../analyze/column-types';
import { qualified, type Column, type Constraint, type Snapshot, type Table } from '../introspect/snapshot';
import { supabaseNative } from '../plan/security/native';
import { sensitiveColumns } from '../plan/security/source-rules';
import { detectAdminRole, ROLE_COLUMNS, type AdminRole } from './admin-role';

/**
 * What `init` proposes for `security:`, derived from the snapshot and the analysis. Pure. Every
 * proposal carries the reason it is made; the renderer writes that reason as a YAML comment.
 * Proposals only ever open reads: writes, and anything for anon beyond reading, stay a decision
 * for a person (the comments say how).
 */
export interface SecurityProposal {
  usersTable: UsersTableProposal | null;
  /** `schema.table` -> its proposed patterns, sorted by table. */
  tables: [string, ProposedPattern[]][];
  /** Findings that are explained but not written as live YAML. */
  notes: string[];
}

export interface UsersTableProposal {
  table: string;
  idColumn: string;
  emailColumn: string;
  passwordColumn: string | null;
  appMetadata: [string, string][];
  why: string;
}

export interface ProposedPattern {
  /** The YAML of the list item, first line after `- `, continuation lines indented by the renderer. */
  yaml: string[];
  why: string;
  /** Written commented out: plausible, but it needs a person's decision. */
  commented: boolean;
}

const EXPOSED = 'public';
const PASSWORD_COLUMNS = ['encrypted_password', 'hashed_password', 'password_hash', 'password', 'passwd'];
const ANON_ROLES = ['public', 'anon', 'anonymous', 'web_anon', 'guest', 'readonly_public'];
const RANK = { high: 0, medium: 1, low: 2 } as const;
// Roles that bypass RLS or run the platform: their grants say nothing about API users.
const PLATFORM_ROLES = new Set(['postgres', 'service_role', 'authenticator', 'dashboard_user']);
const API_PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];

/** A YAML scalar: plain when it is a simple identifier, JSON-quoted otherwise. */
const y = (v: string): string => (/^[A-Za-z_][A-Za-z0-9_$.]*$/.test(v) ? v : JSON.stringify(v));
const single = (c: Constraint): boolean => c.columns.length === 1 && c.refColumns.length === 1;
const columnOf = (t: Table, name: string): Column | undefined => t.columns.find((c) => c.name === name);
/** A policy compares the column with auth.uid(), a uuid: only uuid and text columns can hold it. */
const holdsUserId = (c: Column | undefined): boolean =>
  c !== undefined && (isUuid(c) || (!c.isArray && ['text', 'varchar'].includes(c.typeName)));

function primaryKey(t: Table): string | null {
  const pk = t.constraints.find((c) => c.kind === 'p');
  return pk && pk.columns.length === 1 ? pk.columns[0] : null;
}

function chooseUsersTable(snapshot: Snapshot, patterns: readonly Pattern[]): Table | undefined {
  const found = patterns
    .filter((p) => p.kind === 'users-table' && p.confidence !== 'low')
    .sort((a, b) => RANK[a.confidence] - RANK[b.confidence] || (a.table < b.table ? -1 : 1));
  const key = found[0]?.table;
  return snapshot.tables.find((t) => qualified(t) === key);
}

function chooseTenant(patterns: readonly Pattern[]): string | null {
  const found = patterns
    .filter((p) => p.kind === 'tenant' && p.confidence !== 'low')
    .sort(
      (a, b) =>
        RANK[a.confidence] - RANK[b.confidence] ||
        (a.columns[0] < b.columns[0] ? -1 : a.columns[0] > b.columns[0] ? 1 : 0),
    );
  return found[0]?.columns[0] ?? null;
}

class Collector {
  readonly tables = new Map<string, ProposedPattern[]>();
  readonly notes: string[] = [];
  private readonly seen = new Set<string>();
  add(table: string, p: ProposedPattern): void {
    const key = `${table} ${p.yaml.join(' ')}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.tables.set(table, [...(this.tables.get(table) ?? []), p]);
  }
}

const exposed = (snapshot: Snapshot): Table[] => snapshot.tables.filter((t) => t.schema === EXPOSED);

function usersTableProposal(
  users: Table | undefined,
  tenant: string | null,
  evidence: string,
  admin: AdminRole | null,
): UsersTableProposal | null {
  if (!users) return null;
  const id = primaryKey(users);
  const email = users.columns.find((c) => ['email', 'email_address'].includes(c.name));
  if (!id || !email || !isUuid(columnOf(users, id) as Column)) return null;
  const password = PASSWORD_COLUMNS.find((n) => columnOf(users, n));
  const role = ROLE_COLUMNS.find((n) => columnOf(users, n));
  const appMetadata: [string, string][] = [];
  if (role) appMetadata.push(['role', role]);
  if (admin && admin.claim !== 'role') appMetadata.push([admin.claim, admin.column]);
  if (tenant && columnOf(users, tenant)) appMetadata.push(['tenant_id', tenant]);
  return {
    table: qualified(users),
    idColumn: id,
    emailColumn: email.name,
    passwordColumn: password ?? null,
    appMetadata,
    why: evidence,
  };
}

function tenantProposals(out: Collector, snapshot: Snapshot, tenant: string | null, tenantEvidence: string): void {
  if (!tenant) return;
  for (const t of exposed(snapshot)) {
    const col = t.columns.find((c) => c.name === tenant);
    if (col)
      out.add(qualified(t), {
        yaml: [`tenant: { column: ${y(tenant)} }`, 'operations: [select]'],
        why: `${tenantEvidence}: members of a tenant read its rows (JWT app_metadata.tenant_id)`,
        commented: false,
      });
    // The tenant table itself: its key is what the other tables' tenant column points at.
    const key = primaryKey(t);
    const isTenantTable =
      key !== null &&
      snapshot.tables.some((s) =>
        s.constraints.some(
          (c) =>
            c.kind === 'f' &&
            single(c) &&
            c.columns[0] === tenant &&
            c.refTable === qualified(t) &&
            c.refColumns[0] === key,
        ),
      );
    if (isTenantTable)
      out.add(qualified(t), {
        yaml: [`tenant: { column: ${y(key)} }`, 'operations: [select]'],
        why: `the tenant table (${tenant} points at it): a member reads their own ${t.name} row`,
        commented: false,
      });
  }
}

function ownerProposals(
  out: Collector,
  snapshot: Snapshot,
  patterns: readonly Pattern[],
  users: Table | undefined,
): void {
  if (users && primaryKey(users) && holdsUserId(columnOf(users, primaryKey(users) as string))) {
    out.add(qualified(users), {
      yaml: [`owner: { column: ${y(primaryKey(users) as string)} }`, 'operations: [select]'],
      why: 'the users table: everyone reads their own row',
      commented: false,
    });
  }
  for (const p of patterns.filter((q) => q.kind === 'owner' && q.table.startsWith(`${EXPOSED}.`))) {
    const t = snapshot.tables.find((s) => qualified(s) === p.table);
    if (!t) continue;
    const col = columnOf(t, p.columns[0]);
    const fits = holdsUserId(col);
    const why = `owner column, ${p.evidence} [${p.confidence}]: users read their own rows; add insert, update, delete to operations to let them write them`;
    const unfit = `${p.columns[0]} is ${col?.type}, not a uuid: it cannot hold auth.uid() until the ids are mapped`;
    out.add(p.table, {
      yaml: [`owner: { column: ${y(p.columns[0])} }`, 'operations: [select]'],
      why: fits ? why : unfit,
      commented: !fits || p.confidence === 'low',
    });
  }
}

/** The entity a membership table joins users to, and every table that hangs off that entity. */
function membershipProposals(
  out: Collector,
  snapshot: Snapshot,
  patterns: readonly Pattern[],
  usersKeys: Set<string>,
): void {
  for (const p of patterns.filter((q) => q.kind === 'membership' && q.confidence !== 'low')) {
    const m = snapshot.tables.find((t) => qualified(t) === p.table);
    const fks = m?.constraints.filter((c) => c.kind === 'f' && c.refTable !== null) ?? [];
    const user = fks.find((c) => usersKeys.has(c.refTable as string));
    const entity = fks.find((c) => c !== user);
    if (!m || !user || !entity || !single(user) || !single(entity) || !holdsUserId(columnOf(m, user.columns[0])))
      continue;
    const item = (key: string): string[] => [
      `membership: { table: ${y(p.table)}, key: ${y(key)}, member_key: ${y(entity.columns[0])}, user_column: ${y(user.columns[0])} }`,
      'operations: [select]',
    ];
    const why = (what: string) => `membership table ${p.table} (${p.evidence}): ${what}`;
    if (entity.refTable?.startsWith(`${EXPOSED}.`))
      out.add(entity.refTable, {
        yaml: item(entity.refColumns[0]),
        why: why(`a member reads the ${entity.refTable} rows they belong to`),
        commented: false,
      });
    for (const child of exposed(snapshot)) {
      if (qualified(child) === p.table) continue;
      const ref = child.constraints.find(
        (c) =>
          c.kind === 'f' && single(c) && c.refTable === entity.refTable && c.refColumns[0] === entity.refColumns[0],
      );
      if (ref)
        out.add(qualified(child), {
          yaml: item(ref.columns[0]),
          why: why(`${qualified(child)}.${ref.columns[0]} -> ${entity.refTable}: members read these rows too`),
          commented: false,
        });
    }
    if (p.table.startsWith(`${EXPOSED}.`))
      out.add(p.table, {
        yaml: [`owner: { column: ${y(user.columns[0])} }`, 'operations: [select]'],
        why: 'members read their own memberships (the membership checks above read this table as the caller)',
        commented: false,
      });
  }
}

/**
 * "Admins see all": wherever users are limited to some rows (owner, membership, tenant), the
 * administrators the users table marks read every row. Live only where it is certain and the app
 * has no tenant: in a tenant app an admin usually administers one tenant, a person decides.
 */
function adminProposals(out: Collector, admin: AdminRole | null, tenant: string | null): void {
  if (!admin) return;
  const limiting = /^(owner|membership|tenant):/;
  const values = admin.values.map((v) => (v === 'true' ? '"true"' : y(v))).join(', ');
  const yaml = [`role: { claim: app_metadata.${admin.claim}, values: [${values}] }`, 'operations: [select]'];
  const caveat = tenant ? `; commented out: ${tenant} scopes the app, decide whether an admin crosses tenants` : '';
  const why = `administrators (${admin.why}) read every row${admin.certain ? '' : ' (check the value)'}${caveat}`;
  for (const [table, patterns] of [...out.tables]) {
    if (!patterns.some((p) => !p.commented && limiting.test(p.yaml[0]))) continue;
    out.add(table, { yaml, why, commented: tenant !== null || !admin.certain });
  }
}

function publishProposals(out: Collector, patterns: readonly Pattern[]): void {
  for (const p of patterns.filter(
    (q) => q.kind === 'publish-flag' && q.confidence === 'high' && q.table.startsWith(`${EXPOSED}.`),
  )) {
    out.add(p.table, {
      yaml: [`public_read: { filter: ${y(p.columns[0])} }`],
      why: `publish flag ${p.columns[0]}: anyone, signed in or not, reads the rows where it is true`,
      commented: false,
    });
  }
}

/** The source's own grants: roles become values of the app_metadata.role claim; PUBLIC-like ones anon reads. */
function grantProposals(out: Collector, snapshot: Snapshot): void {
  const native = supabaseNative(snapshot);
  const logins = new Set(snapshot.roles.filter((r) => r.canLogin || r.superuser || r.bypassRls).map((r) => r.name));
  for (const t of exposed(snapshot)) {
    for (const g of [...t.grants].sort((a, b) => (a.grantee < b.grantee ? -1 : 1))) {
      const ops = API_PRIVILEGES.filter((p) => g.privileges.includes(p)).map((p) => p.toLowerCase());
      if (ops.length === 0) continue;
      // A Supabase project grants the API roles everything and lets RLS decide: not an intent.
      if (native && (g.grantee === 'anon' || g.grantee === 'authenticated')) continue;
      if (ANON_ROLES.includes(g.grantee)) {
        if (ops.includes('select'))
          out.add(qualified(t), {
            yaml: ['public_read: {}'],
            why: `the source granted SELECT to ${g.grantee}: anyone reads every row (drop this if it was an accident)`,
            commented: false,
          });
        continue;
      }
      if (g.grantee === 'authenticated') {
        if (ops.includes('select'))
          out.add(qualified(t), {
            yaml: ['authenticated_read: true'],
            why: 'the source granted SELECT to authenticated: any signed-in user reads every row',
            commented: false,
          });
        continue;
      }
      if (PLATFORM_ROLES.has(g.grantee) || g.grantee.startsWith('supabase_') || g.grantee.startsWith('pg_')) continue;
      if (logins.has(g.grantee)) {
        out.notes.push(
          `${qualified(t)}: login role ${g.grantee} had ${ops.join(', ')}; a backend that connects as it should use service_role (bypasses RLS)`,
        );
        continue;
      }
      out.add(qualified(t), {
        yaml: [
          `role: { claim: app_metadata.role, values: [${y(g.grantee)}] }`,
          `operations: [${[...ops].sort().join(', ')}]`,
        ],
        why: `the source granted ${ops.join(', ')} to role ${g.grantee}: users whose app_metadata.role is ${g.grantee} keep that access`,
        commented: false,
      });
    }
  }
}

export function proposeSecurity(snapshot: Snapshot, analysis: Analysis): SecurityProposal {
  const { patterns } = analysis;
  const users = chooseUsersTable(snapshot, patterns);
  const tenant = chooseTenant(patterns);
  const tenantEvidence = patterns.find((p) => p.kind === 'tenant' && p.columns[0] === tenant)?.evidence ?? '';
  const usersEvidence =
    patterns.find((p) => p.kind === 'users-table' && users && p.table === qualified(users))?.evidence ?? '';
  const usersKeys = new Set(['auth.users', ...patterns.filter((p) => p.kind === 'users-table').map((p) => p.table)]);
  const out = new Collector();
  tenantProposals(out, snapshot, tenant, tenantEvidence);
  ownerProposals(out, snapshot, patterns, users);
  membershipProposals(out, snapshot, patterns, usersKeys);
  const admin = detectAdminRole(snapshot, users);
  adminProposals(out, admin, tenant);
  publishProposals(out, patterns);
  grantProposals(out, snapshot);
  const governed = new Set(snapshot.tables.filter((t) => t.rlsEnabled).map(qualified));
  const tables = [...out.tables].filter(([t]) => !governed.has(t)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  out.notes.push(...sourceRuleNotes(snapshot));
  const usersTable = usersTableProposal(users, tenant, usersEvidence, admin);
  if (users && !usersTable)
    out.notes.push(
      `${qualified(users)} looks like the user list (${usersEvidence}), but without a single uuid key and an email column it cannot be linked to auth.users`,
    );
  return { usersTable, tables, notes: out.notes.sort() };
}

/**
 * Tables the source already protects with RLS keep their own policies (nothing is proposed for
 * them), and columns that look like secrets stay out of the API whatever opens their table.
 */
function sourceRuleNotes(snapshot: Snapshot): string[] {
  const notes: string[] = [];
  const governed = exposed(snapshot).filter((t) => t.rlsEnabled);
  const withPolicies = new Set(snapshot.policies.map((p) => `${p.schema}.${p.table}`));
  const carried = governed.filter((t) => withPolicies.has(qualified(t))).map(qualified);
  const closed = governed.filter((t) => !withPolicies.has(qualified(t))).map(qualified);
  if (carried.length > 0)
    notes.push(
      `row level security and policies carried from the source (add a table here only to replace them): ${carried.join(', ')}`,
    );
  if (closed.length > 0)
    notes.push(
      `row level security on and no policy at the source, kept private (service_role only): ${closed.join(', ')}`,
    );
  for (const t of exposed(snapshot)) {
    const hidden = sensitiveColumns(t);
    if (hidden.length > 0)
      notes.push(
        `${qualified(t)}: ${hidden.join(', ')} look sensitive: never granted to anon or authenticated (the grants list the other columns)`,
      );
  }
  return notes;
}
