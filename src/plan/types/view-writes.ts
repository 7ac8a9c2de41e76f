import type { Snapshot, View } from '../../introspect/snapshot';
import { readView, type ViewShape } from './view-lineage';

/** What PostgREST can write through a view, as Postgres reports it. */
export interface ViewWrites {
  insert: boolean;
  update: boolean;
  /** Whether a column accepts writes. */
  column(name: string): boolean;
}

/**
 * A simple view over a table (or over another such view) is auto-updatable in the columns
 * that are plain references; INSTEAD OF triggers make every column writable for their events.
 */
export function viewWrites(view: View, snap: Snapshot): ViewWrites {
  const shapes = new Map(snap.views.map((v) => [`${v.schema}.${v.name}`, readView(v)]));
  const auto = autoUpdatable(`${view.schema}.${view.name}`, shapes, new Set());
  const instead = snap.triggers
    .filter((t) => t.schema === view.schema && t.table === view.name && /\bINSTEAD OF\b/.test(t.definition))
    .map((t) => t.definition.slice(0, t.definition.search(/\sON\s/)));
  const onInsert = instead.some((d) => /\bINSERT\b/.test(d));
  const onUpdate = instead.some((d) => /\bUPDATE\b/.test(d));
  const shape = shapes.get(`${view.schema}.${view.name}`) as ViewShape;
  return {
    insert: auto || onInsert,
    update: auto || onUpdate,
    column: (name) => onInsert || onUpdate || (auto && shape.sources.has(name)),
  };
}

function autoUpdatable(name: string, shapes: Map<string, ViewShape>, seen: Set<string>): boolean {
  const shape = shapes.get(name);
  if (!shape || shape.simpleBase === null || seen.has(name)) return false;
  if (!shapes.has(shape.simpleBase)) return true;
  return autoUpdatable(shape.simpleBase, shapes, new Set([...seen, name]));
}
