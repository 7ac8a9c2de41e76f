import type { Snapshot } from '../introspect/snapshot';
import type { Summary } from './types';

export function summarize(snapshot: Snapshot): Summary {
  const { tables, views } = snapshot;
  return {
    schemas: snapshot.schemas.length,
    tables: tables.length,
    columns: tables.reduce((n, t) => n + t.columns.length, 0),
    views: views.filter((v) => !v.materialized).length,
    materializedViews: views.filter((v) => v.materialized).length,
    functions: snapshot.functions.length,
    triggers: snapshot.triggers.length,
    sequences: snapshot.sequences.length,
    enums: snapshot.enums.length,
    domains: snapshot.domains.length,
    policies: snapshot.policies.length,
    extensions: snapshot.extensions.length,
    // reltuples is -1 for tables never analysed: count those as empty rather than negative.
    estimatedRows: tables.reduce((n, t) => n + Math.max(0, t.estimatedRows), 0),
    totalBytes: tables.reduce((n, t) => n + Math.max(0, t.sizeBytes), 0),
  };
}
