import type { Snapshot, View } from '../../introspect/snapshot';

/** What PostgREST can write through a view, as Postgres reported it at introspection. */
export interface ViewWrites {
  insert: boolean;
  update: boolean;
  /** Whether a column accepts writes. */
  column(name: string): boolean;
}

const READ_ONLY: ViewWrites = { insert: false, update: false, column: () => false };

/**
 * The snapshot carries Postgres's own answer (`pg_relation_is_updatable`, `pg_column_is_updatable`,
 * INSTEAD OF triggers and rules). A snapshot written before that was read has none: its views are
 * typed read-only, and `plan` says to introspect again (see staleViewFacts).
 */
export function viewWrites(view: View): ViewWrites {
  if (view.materialized || view.writes === undefined) return READ_ONLY;
  const columns = new Set(view.writes.columns);
  return { insert: view.writes.insert, update: view.writes.update, column: (name) => columns.has(name) };
}

/** A line for plan's summary when the snapshot predates the view facts, else nothing. */
export function staleViewFacts(snapshot: Snapshot): string[] {
  const stale = snapshot.views.filter((v) => v.origins === undefined).map((v) => `${v.schema}.${v.name}`);
  if (stale.length === 0) return [];
  const named = stale.length > 3 ? `${stale.slice(0, 3).join(', ')} and ${stale.length - 3} more` : stale.join(', ');
  return [
    `the snapshot predates writable-view facts (${named}): database.types.ts types these views read-only and ` +
      'without relationships through them; run `supamigrate init` again to read them from the source',
  ];
}
