import { UserError } from '../../errors';
import type { Table } from '../../introspect/snapshot';
import { literal, qname } from '../../sql';
import { step } from '../schema/step';
import type { Step } from '../types';
import type { SecurityContext } from './context';

export const PUBLICATION = 'supabase_realtime';

export interface RealtimeTable {
  /** Source `schema.table`. */
  key: string;
  schema: string;
  name: string;
  /** True when the table has no primary key, so updates and deletes need `replica identity full`. */
  needsFullIdentity: boolean;
}

const hasPrimaryKey = (t: Table): boolean => t.constraints.some((c) => c.kind === 'p');

/** The tables `realtime.tables` names, in target names; every unknown name in one UserError. */
export function realtimeTables(ctx: SecurityContext): RealtimeTable[] {
  const keys = [...new Set(ctx.spec.realtime.tables)].sort();
  const missing = keys.filter((k) => !ctx.findTable(k));
  if (missing.length > 0) {
    const lines = missing.map((k) => `realtime.tables: no table ${k} among the migrated tables`);
    throw new UserError(
      `the realtime spec does not match the source schema:\n  ${lines.join('\n  ')}`,
      'name tables as schema.table as they are in the source (views cannot be published; see ' +
        '.supamigrate/snapshot.json)',
    );
  }
  return keys.map((key) => {
    const t = ctx.findTable(key) as Table;
    return { key, schema: ctx.schemaOf(t.schema), name: t.name, needsFullIdentity: !hasPrimaryKey(t) };
  });
}

/**
 * Adds the table to the supabase_realtime publication unless it is there already (a table added
 * from the dashboard beforehand must not fail the step). Realtime sends a row's changes only to
 * callers whose SELECT policies let them see it, so publishing opens nothing RLS does not.
 */
function publishStep(t: RealtimeTable): Step {
  const table = qname(t.schema, t.name);
  const present = `exists (select from pg_catalog.pg_publication_tables where pubname = ${literal(PUBLICATION)} and schemaname = ${literal(t.schema)} and tablename = ${literal(t.name)})`;
  const up = [
    // Without a primary key the old row of an update or delete cannot be identified otherwise.
    ...(t.needsFullIdentity ? [`alter table ${table} replica identity full;`] : []),
    'do $realtime$ begin',
    `  if not ${present} then`,
    `    alter publication ${PUBLICATION} add table ${table};`,
    '  end if;',
    'end $realtime$;',
  ];
  const down = [
    'do $realtime$ begin',
    `  if ${present} then`,
    `    alter publication ${PUBLICATION} drop table ${table};`,
    '  end if;',
    'end $realtime$;',
    ...(t.needsFullIdentity ? [`alter table ${table} replica identity default;`] : []),
  ];
  return step(`security:realtime:${t.schema}.${t.name}`, 'security', 'publication', up.join('\n'), down.join('\n'));
}

export function realtimeSteps(ctx: SecurityContext): Step[] {
  return realtimeTables(ctx).map(publishStep);
}
