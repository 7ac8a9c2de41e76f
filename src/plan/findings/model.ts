import type { Column, Snapshot, Table } from '../../introspect/snapshot';
import { selectObjects } from '../schema/select';
import type { Spec } from '../../spec/types';
import type { Step } from '../types';

/** One side of a change (base or head): what the plan builds, keyed by target names. */
export interface Side {
  snapshot: Snapshot | null;
  spec: Spec | null;
  steps: readonly Step[];
}

export interface TargetTable {
  /** Target name, `schema.table`. */
  key: string;
  source: Table;
  columns: Map<string, Column>;
}

export interface TargetModel {
  schemas: Set<string>;
  tables: Map<string, TargetTable>;
}

/** The tables and schemas the spec selects from the snapshot, under their target names. */
export function targetModel(side: Side): TargetModel {
  if (!side.snapshot || !side.spec) return { schemas: new Set(), tables: new Map() };
  const renames = side.spec.schema.renameSchemas;
  const target = (schema: string) => renames[schema] ?? schema;
  const selected = selectObjects(side.snapshot, side.spec.schema);
  const tables = new Map<string, TargetTable>();
  for (const t of selected.tables) {
    const key = `${target(t.schema)}.${t.name}`;
    tables.set(key, { key, source: t, columns: new Map(t.columns.map((c) => [c.name, c])) });
  }
  return { schemas: new Set(selected.schemas.map((s) => target(s.name))), tables };
}

/**
 * Object names the spec lets a plan drop: `evolution.allow_destructive`. The key belongs to
 * the evolution feature; it is read tolerantly so findings work whether or not it is present.
 */
export function allowedDrops(spec: Spec | null): Set<string> {
  const evolution = (spec as unknown as { evolution?: Record<string, unknown> } | null)?.evolution;
  const list = evolution?.allowDestructive ?? evolution?.allow_destructive;
  return new Set(Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : []);
}

/** Names the spec declares as renamed (`evolution.renames`), old names: not a drop. */
export function declaredRenames(spec: Spec | null): Set<string> {
  const renames = (spec as unknown as { evolution?: Record<string, unknown> } | null)?.evolution?.renames;
  if (!renames || typeof renames !== 'object') return new Set();
  if (Array.isArray(renames)) {
    return new Set(
      renames.flatMap((r) =>
        r && typeof r === 'object' && typeof (r as { from?: unknown }).from === 'string'
          ? [(r as { from: string }).from]
          : [],
      ),
    );
  }
  return new Set(Object.keys(renames));
}

/** Rows the snapshot estimates for a table; -1 (never analysed) counts as unknown, so as data. */
export const hasRows = (t: Table): boolean => t.estimatedRows !== 0;
