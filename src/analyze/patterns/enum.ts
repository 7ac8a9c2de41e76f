import { qualified } from '../../introspect/snapshot';
import type { Pattern } from '../types';
import { eachColumn, type PatternContext } from './context';

/** Each enum type and the tables whose columns use it; an unused enum is reported on itself. */
export function detectEnums(ctx: PatternContext): Pattern[] {
  const columns = eachColumn(ctx.snapshot);
  return ctx.snapshot.enums.flatMap((type): Pattern[] => {
    const name = qualified(type);
    const values = `${type.values.length} values: ${type.values.join(', ')}`;
    const users = columns.filter(
      ({ column }) => column.typeSchema === type.schema && column.typeName.replace(/^_/, '') === type.name,
    );
    if (users.length === 0) {
      return [
        {
          kind: 'enum',
          table: name,
          columns: [],
          confidence: 'high',
          evidence: `enum ${name} (${values}) is used by no column`,
        },
      ];
    }
    const byTable = new Map<string, string[]>();
    for (const { table, column } of users) {
      const names = byTable.get(qualified(table)) ?? [];
      names.push(column.name);
      byTable.set(qualified(table), names);
    }
    return [...byTable.entries()].map(([table, names]) => ({
      kind: 'enum' as const,
      table,
      columns: names.sort(),
      confidence: 'high' as const,
      evidence: `enum ${name} (${values})`,
    }));
  });
}
