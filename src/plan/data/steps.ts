import type { Snapshot } from '../../introspect/snapshot';
import { literal, qname } from '../../sql';
import type { Spec } from '../../spec/types';
import { selectObjects } from '../schema/select';
import { supabaseRowCopies } from './supabase-rows';
import { step } from '../schema/step';
import type { Step } from '../types';
import { planData, planSequenceResets } from './index';
import type { DataPlanOptions } from './types';

/**
 * The data phase as plan steps: one per table, whose body is the copy spec as JSON (what the
 * reviewer sees in the manifest and what the engine runs), then one that carries sequence
 * values over. Undoing a table's load empties it and forgets its chunk checkpoints.
 */
export function dataSteps(
  snapshot: Snapshot,
  spec: Spec,
  vectors: Pick<DataPlanOptions, 'expressions' | 'filters'> = {},
): Step[] {
  if (!spec.data.enabled) return [];
  const selected = selectObjects(snapshot, spec.schema);
  // Supabase's own rows (users, identities, buckets) first: the application's rows point at them.
  const copies = [
    ...supabaseRowCopies(selected, spec.schema),
    ...planData(selected, {
      tables: spec.data.tables,
      schemaRename: spec.schema.renameSchemas,
      mode: spec.data.mode,
      ...vectors,
    }),
  ];
  const steps = copies.map((copy) => {
    const down = [
      `truncate table ${qname(copy.target.schema, copy.target.table)};`,
      `delete from supamigrate.data_chunks where table_id = ${literal(copy.id)};`,
    ].join('\n');
    return step(copy.id, 'data', 'data', JSON.stringify(copy, null, 2), down);
  });
  const resets = planSequenceResets(selected, spec.schema.renameSchemas);
  if (resets.length > 0) {
    steps.push(
      step(
        'data:sequences',
        'data',
        'sequences',
        JSON.stringify(resets, null, 2),
        '-- sequences keep the values they were given: nothing to undo',
      ),
    );
  }
  return steps;
}
