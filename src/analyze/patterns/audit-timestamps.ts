import { qualified, type Snapshot, type Table } from '../../introspect/snapshot';
import { isTimestamp } from '../column-types';
import type { Pattern } from '../types';
import type { PatternContext } from './context';

const TOUCH_TRIGGER = /updated_at|modified|moddatetime|touch|timestamp/i;

/** The trigger that keeps updated_at current, recognised by its name or its function's name. */
function touchTrigger(snapshot: Snapshot, table: Table): string | undefined {
  return snapshot.triggers
    .filter((t) => t.schema === table.schema && t.table === table.name)
    .filter((t) => TOUCH_TRIGGER.test(t.name) || TOUCH_TRIGGER.test(t.function))
    .map((t) => t.name)
    .sort()[0];
}

export function detectAuditTimestamps(ctx: PatternContext): Pattern[] {
  return ctx.snapshot.tables.flatMap((table): Pattern[] => {
    const created = table.columns.find((c) => c.name === 'created_at');
    const updated = table.columns.find((c) => c.name === 'updated_at');
    if (!created || !updated) return [];
    const typed = isTimestamp(created) && isTimestamp(updated);
    const trigger = touchTrigger(ctx.snapshot, table);
    const evidence = trigger
      ? `created_at and updated_at; trigger ${trigger} maintains updated_at`
      : 'created_at and updated_at; no trigger maintains updated_at';
    return [
      {
        kind: 'audit-timestamps',
        table: qualified(table),
        columns: ['created_at', 'updated_at'],
        confidence: typed && trigger ? 'high' : typed ? 'medium' : 'low',
        evidence,
      },
    ];
  });
}
