import type { Db } from '../../db';
import type { Snapshot } from '../../introspect/snapshot';
import { planSequenceResets } from '../../plan/data';
import type { SequenceReset } from '../../plan/data/types';
import { ENGINE_MARK, qname } from '../../sql';

interface SequenceValue {
  lastValue: string;
  isCalled: boolean;
}

/** Result per sequence: its target name and the value set, or why it was left alone. */
export interface SequenceResetResult {
  sequence: string;
  value: string | null;
  note: string | null;
}

/**
 * After the load, each target sequence continues where the source's stopped (last_value and
 * is_called as they are), so the next nextval() gives the same number on both sides.
 */
export async function resetSequences(
  source: Db,
  target: Db,
  snapshot: Snapshot,
  schemaRename: Record<string, string> = {},
): Promise<SequenceResetResult[]> {
  return applySequenceResets(source, target, planSequenceResets(snapshot, schemaRename));
}

/** The same, for a list of resets that a plan already holds. */
export async function applySequenceResets(
  source: Db,
  target: Db,
  resets: SequenceReset[],
): Promise<SequenceResetResult[]> {
  const results: SequenceResetResult[] = [];
  for (const reset of resets) {
    const from = await sequenceOf(source, reset, 'source');
    const to = await sequenceOf(target, reset, 'target');
    if (!from || !to) {
      results.push({
        sequence: to ?? describe(reset),
        value: null,
        note: from ? 'not found on the target' : 'not found on the source',
      });
      continue;
    }
    const value = await readSequence(source, from);
    // Runs again when a later revision adds tables: a sequence the target has already used past
    // the source's value stays where it is, or the next insert would reuse an id.
    const current = await readSequence(target, to);
    if (current.isCalled && value.isCalled && BigInt(current.lastValue) >= BigInt(value.lastValue)) {
      results.push({ sequence: to, value: current.lastValue, note: 'already at or past the source' });
      continue;
    }
    await target.query('select setval($1::regclass, $2::bigint, $3)', [to, value.lastValue, value.isCalled]);
    results.push({ sequence: to, value: value.lastValue, note: null });
  }
  return results;
}

function describe(reset: SequenceReset): string {
  return reset.kind === 'sequence'
    ? `${reset.target.schema}.${reset.target.name}`
    : `${reset.target.schema}.${reset.target.table}.${reset.target.column}`;
}

/** The sequence's quoted qualified name on that side, or null when it does not exist there. */
async function sequenceOf(db: Db, reset: SequenceReset, side: 'source' | 'target'): Promise<string | null> {
  if (reset.kind === 'sequence') {
    const { schema, name } = reset[side];
    const r = await db.query<{ oid: string | null }>('select to_regclass($1)::text as oid', [qname(schema, name)]);
    return r.rows[0]?.oid ? qname(schema, name) : null;
  }
  const { schema, table, column } = reset[side];
  const r = await db.query<{ schema: string; name: string }>(
    `select n.nspname as schema, c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.oid = pg_get_serial_sequence($1, $2)::regclass`,
    [qname(schema, table), column],
  );
  return r.rows[0] ? qname(r.rows[0].schema, r.rows[0].name) : null;
}

async function readSequence(db: Db, sequence: string): Promise<SequenceValue> {
  // `sequence` was built by qname above from catalog names.
  const r = await db.query<{ last_value: string; is_called: boolean }>(
    `${ENGINE_MARK} select last_value::text as last_value, is_called from ${sequence}`,
  );
  return { lastValue: r.rows[0].last_value, isCalled: r.rows[0].is_called };
}
