import { qualified, type Column, type Snapshot, type Table } from '../../introspect/snapshot';

/** What every detector needs besides the snapshot: single-column foreign keys by column. */
export interface PatternContext {
  snapshot: Snapshot;
  /** `schema.table.column` -> referenced `schema.table`, for single-column foreign keys. */
  references: Map<string, string>;
  /** `schema.table.column` of every column in a foreign key of several columns. */
  compositeKeyColumns: Set<string>;
  /** Tables that hold the application's users (detected, plus auth.users). */
  usersTables: Set<string>;
}

export function columnReferences(snapshot: Snapshot): Map<string, string> {
  const references = new Map<string, string>();
  for (const table of snapshot.tables) {
    for (const c of table.constraints) {
      if (c.kind === 'f' && c.refTable !== null && c.columns.length === 1) {
        references.set(`${qualified(table)}.${c.columns[0]}`, c.refTable);
      }
    }
  }
  return references;
}

export function compositeKeyColumns(snapshot: Snapshot): Set<string> {
  return new Set(
    snapshot.tables.flatMap((table) =>
      table.constraints
        .filter((c) => c.kind === 'f' && c.columns.length > 1)
        .flatMap((c) => c.columns.map((col) => `${qualified(table)}.${col}`)),
    ),
  );
}

export const referenceOf = (ctx: PatternContext, table: Table, column: Column): string | undefined =>
  ctx.references.get(`${qualified(table)}.${column.name}`);

/** Every (table, column) pair, in snapshot order; detectors sort their own output. */
export function eachColumn(snapshot: Snapshot): { table: Table; column: Column }[] {
  return snapshot.tables.flatMap((table) => table.columns.map((column) => ({ table, column })));
}

/** The first column whose name appears in `names`, preferring earlier names, so column order never matters. */
export function firstNamed(table: Table, names: readonly string[]): Column | undefined {
  for (const name of names) {
    const found = table.columns.find((c) => c.name === name);
    if (found) return found;
  }
  return undefined;
}
