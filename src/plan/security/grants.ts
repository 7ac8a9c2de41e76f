import { ident, qname } from '../../sql';
import type { ApiRole, Operation } from '../../spec/types';
import { step } from '../schema/step';
import type { Step } from '../types';
import type { CoveredTable, SecurityContext } from './context';
import { API_ROLES, mergedCondition, OPERATIONS } from './policies';
import { carriedOperations, sensitiveColumns } from './source-rules';

/** Operations a role needs the table privilege for: exactly those some pattern opens to it. */
export function grantedOperations(covered: CoveredTable, role: ApiRole): Operation[] {
  return OPERATIONS.filter((op) => mergedCondition(covered.table, covered, op, role) !== null);
}

/** What the target grants a role: the spec's patterns, or the source's policies where those are carried. */
export function apiOperations(ctx: SecurityContext, covered: CoveredTable, role: ApiRole): Operation[] {
  return covered.carried ? carriedOperations(ctx.snapshot, covered, role) : grantedOperations(covered, role);
}

/**
 * The GRANT for one API role. Columns that look like secrets are never granted to anon or
 * authenticated: reads and writes name the other columns, so a policy that opens the row still
 * keeps the password hash or the token out of the API.
 */
function grantLines(covered: CoveredTable, role: ApiRole, ops: Operation[]): string[] {
  const t = covered.sql;
  const hidden = new Set(sensitiveColumns(covered.table));
  if (hidden.size === 0) return ops.length > 0 ? [`grant ${ops.join(', ')} on table ${t} to ${role};`] : [];
  const open = covered.table.columns.filter((c) => !hidden.has(c.name)).map((c) => ident(c.name));
  // ctid too: the generated pgTAP files and validate's matrix find the row they probe by it.
  const readable = [...open, 'ctid'].join(', ');
  return ops.flatMap((op) => {
    if (op === 'delete') return [`grant delete on table ${t} to ${role};`];
    if (open.length === 0) return [];
    return [`grant ${op} (${op === 'select' ? readable : open.join(', ')}) on table ${t} to ${role};`];
  });
}

/** Sequences behind the table's serial columns: inserting draws from them. */
function ownedSequences(ctx: SecurityContext, covered: CoveredTable): string[] {
  // serial columns become identity columns there, and identity sequences need no grant.
  if (ctx.spec.schema.typeMappings.serialToIdentity) return [];
  return ctx.snapshot.sequences
    .filter((s) => s.ownedBy !== null && s.ownedBy.startsWith(`${covered.key}.`))
    .map((s) => qname(ctx.schemaOf(s.schema), s.name))
    .sort();
}

/**
 * RLS on, with the API roles' privileges spelled out next to it: Supabase no longer grants
 * anon and authenticated everything on public by default, and relying on it either way is wrong.
 */
export function tableAccessStep(ctx: SecurityContext, covered: CoveredTable): Step {
  const t = covered.sql;
  const up = [`alter table ${t} enable row level security;`, `revoke all on table ${t} from anon, authenticated;`];
  const sequences = ownedSequences(ctx, covered);
  for (const role of API_ROLES) {
    const ops = apiOperations(ctx, covered, role);
    up.push(...grantLines(covered, role, ops));
    if (ops.includes('insert')) for (const s of sequences) up.push(`grant usage on sequence ${s} to ${role};`);
  }
  up.push(`grant select, insert, update, delete on table ${t} to service_role;`);
  for (const s of sequences) up.push(`grant usage on sequence ${s} to service_role;`);
  const down = [
    `revoke all on table ${t} from anon, authenticated, service_role;`,
    ...sequences.map((s) => `revoke all on sequence ${s} from anon, authenticated, service_role;`),
  ];
  // When the source had RLS on, the schema's own rls step enabled it and its down disables it.
  if (!covered.table.rlsEnabled) down.push(`alter table ${t} disable row level security;`);
  return step(
    `security:table:${covered.schema}.${covered.table.name}`,
    'security',
    'table-access',
    up.join('\n'),
    down.join('\n'),
  );
}
