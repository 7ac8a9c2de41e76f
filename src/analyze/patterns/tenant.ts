import { qualified } from '../../introspect/snapshot';
import type { Confidence, Pattern } from '../types';
import { eachColumn, referenceOf, type PatternContext } from './context';

export const TENANT_COLUMNS = [
  'tenant_id',
  'school_id',
  'organization_id',
  'organisation_id',
  'org_id',
  'account_id',
  'workspace_id',
  'team_id',
  'company_id',
];

/** Below this many tables a shared column is a relationship, not a tenancy boundary. */
const MANY_TABLES = 3;

/**
 * Tenant columns: a column named like a tenant key on several tables. A foreign key to one
 * tenant table and a wide spread are the evidence; either alone lowers the confidence.
 */
export function detectTenants(ctx: PatternContext): Pattern[] {
  const uses = eachColumn(ctx.snapshot).filter(({ column }) => TENANT_COLUMNS.includes(column.name));
  const byColumn = new Map<string, typeof uses>();
  for (const use of uses) {
    const group = byColumn.get(use.column.name) ?? [];
    group.push(use);
    byColumn.set(use.column.name, group);
  }

  return [...byColumn.entries()].flatMap(([name, found]) => {
    const targets = [...new Set(found.map(({ table, column }) => referenceOf(ctx, table, column)).filter(Boolean))];
    const referenced = targets.length === 1;
    const many = found.length >= MANY_TABLES;
    const confidence: Confidence = referenced && many ? 'high' : referenced || many ? 'medium' : 'low';
    const target = referenced
      ? ` (${name} -> ${targets[0]})`
      : targets.length > 1
        ? ` (references ${targets.sort().join(', ')})`
        : ' (no foreign key)';
    const evidence = `tenant column ${name} found in ${found.length} ${found.length === 1 ? 'table' : 'tables'}${target}`;
    return found.map(({ table }) => ({
      kind: 'tenant' as const,
      table: qualified(table),
      columns: [name],
      confidence,
      evidence,
    }));
  });
}
