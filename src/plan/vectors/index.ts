import type { Snapshot } from '../../introspect/snapshot';
import { sortByKeys } from '../../introspect/catalog';
import type { Spec } from '../../spec/types';
import { selectObjects } from '../schema/select';
import type { Step } from '../types';
import { vectorColumns, type VectorColumn } from './columns';
import { rowFilter, sourceExpression } from './conversion';
import { vectorIndexStep } from './index-step';
import { matchFunctionStep, matchRoutine } from './match-function';
import { vectorSnapshot } from './snapshot';

export { vectorColumns, checkedLength, storageOf, targetType, type VectorColumn, type VectorStorage } from './columns';
export { matchFunctionName } from './match-function';
export { indexName, operatorClass } from './index-step';
export { rightLength, wrongLength, vectorText } from './conversion';

export interface VectorPlan {
  columns: VectorColumn[];
  /** The snapshot the schema plan builds from: columns retyped, length checks gone, extension added. */
  schemaSnapshot: Snapshot;
  /** The same plus the match functions, as the generated types must describe the target. */
  typesSnapshot: Snapshot;
  /** `schema.table.column` (source) -> the SQL that reads the column as vector text. */
  expressions: Record<string, string>;
  /** `schema.table` (source) -> the row filter that leaves out wrong lengths (on_wrong_length: skip). */
  filters: Record<string, string>;
  /** Post-data: indexes, then match functions. */
  steps: Step[];
}

/** Spec + Snapshot -> what pgvector adds to the plan. Pure; empty when no column is named. */
export function planVectors(snapshot: Snapshot, spec: Spec): VectorPlan {
  const columns = vectorColumns(selectObjects(snapshot, spec.schema), spec);
  const schemaSnapshot = vectorSnapshot(snapshot, columns);
  const routines = columns.map((v) => matchRoutine(v, columns));
  const typesSnapshot =
    routines.length === 0
      ? schemaSnapshot
      : {
          ...schemaSnapshot,
          functions: sortByKeys([...schemaSnapshot.functions, ...routines], (f) => [f.schema, f.name, f.identityArgs]),
        };
  const expressions: Record<string, string> = {};
  const filters: Record<string, string> = {};
  for (const v of columns) {
    const expression = sourceExpression(v);
    if (expression !== null) expressions[v.key] = expression;
    const filter = rowFilter(v);
    const table = `${v.table.schema}.${v.table.name}`;
    if (filter !== null) filters[table] = filters[table] ? `${filters[table]} and ${filter}` : filter;
  }
  const steps = [
    ...columns.map(vectorIndexStep).filter((s): s is Step => s !== null),
    ...columns.map((v) => matchFunctionStep(v, columns)),
  ];
  return { columns, schemaSnapshot, typesSnapshot, expressions, filters, steps };
}
