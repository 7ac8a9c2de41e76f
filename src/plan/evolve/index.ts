import { createHash } from 'node:crypto';
import type { EvolutionSpec } from '../../spec/types';
import { alterTable } from './alter-table';
import { validateRowId } from './online';
import { renameColumn, renameTableRows, renameTableSql } from './rename';
import type { EvolutionPlan, EvolutionStep, PlannedStep, RecordedStep } from './types';

export type { EvolutionPlan, EvolutionStep, PlannedStep, RecordedStep, RowChange } from './types';
export type { TableState, ColumnState } from '../schema/state';
export { alterTable, isWidening, rewritesTable } from './alter-table';

/** Kinds whose down would lose what the object holds, or that cannot be dropped and re-created safely. */
const HOLDS_STATE = new Set(['schema', 'extension', 'enum', 'domain', 'composite', 'sequence']);
/** Data already on the target stays: a changed copy spec is recorded, never re-run. */
const DATA_KINDS = new Set(['data', 'sequences']);
const ROUTINES = new Set(['function', 'procedure']);
const ROUTINE_CREATE = /^\s*create\s+(?:or\s+replace\s+)?(?:function|procedure)\b/im;
const orReplace = (sql: string) => sql.replace(/^(\s*create)\s+(function|procedure)\b/im, '$1 or replace $2');
const DESTROYS = /\b(?:drop\s+table|drop\s+schema|truncate)\b/i;

/** An evolution step before it is numbered. */
type Change = Omit<EvolutionStep, 'id'>;

/** The checkpoint rows as the steps chosen so far leave them, and what was refused on the way. */
interface Draft {
  rows: Map<string, RecordedStep>;
  steps: Change[];
  blocked: EvolutionPlan['blocked'];
}

/** What a recorded step whose plan step changed becomes. */
type Outcome = { step: Change } | { blocked: string } | { retire: true };

/**
 * Recorded steps + the new plan -> the changes that move the target to the new plan. Pure.
 *
 * Order: declared renames; then the downs of removed and replaced steps, newest first (what
 * depends on an object goes before it); then table alterations; then checkpoints that change
 * without SQL. The plan's steps that are then missing (new ones, and the replaced ones) are
 * applied after these, in plan order, in the same transaction.
 */
export function planEvolution(recorded: RecordedStep[], planned: PlannedStep[], spec: EvolutionSpec): EvolutionPlan {
  const draft: Draft = { rows: new Map(recorded.map((r) => [r.id, r])), steps: [], blocked: [] };
  renameTables(draft, spec.renames.tables);
  renameColumns(draft, spec.renames.columns);
  const plannedById = new Map(planned.map((s) => [s.id, s]));
  const { retire, later } = sortRecorded(draft, plannedById);
  retireNewestFirst(draft, retire, plannedById);
  for (const s of later.filter((l) => l.action === 'alter').sort((a, b) => a.changes[0].seq - b.changes[0].seq))
    push(draft, s);
  for (const s of later.filter((l) => l.action !== 'alter')) push(draft, s);
  return numbered(planRevision(planned), draft, spec.allowDestructive);
}

/** The plan's identity: its step ids and checksums. */
function planRevision(planned: PlannedStep[]): string {
  return createHash('sha256')
    .update(planned.map((s) => `${s.id}:${s.checksum}`).join('\n'))
    .digest('hex')
    .slice(0, 12);
}

function push(draft: Draft, step: Change): void {
  draft.steps.push(step);
  for (const c of step.changes) if (c.before) draft.rows.delete(c.before.id);
  for (const c of step.changes) if (c.after) draft.rows.set(c.after.id, c.after);
}

function renameTables(draft: Draft, renames: Record<string, string>): void {
  for (const [from, to] of Object.entries(renames).sort()) {
    const [schema, table] = from.split('.');
    // Done already, or never applied.
    if (!draft.rows.has(`table:${from}`) || draft.rows.has(`table:${schema}.${to}`)) continue;
    const { sql, reverse } = renameTableSql(schema, table, to);
    push(draft, {
      action: 'rename',
      target: `table:${schema}.${to}`,
      summary: `rename table ${from} to ${schema}.${to}`,
      sql,
      reverse,
      changes: renameTableRows([...draft.rows.values()], schema, table, to),
      destructive: [],
    });
  }
}

function renameColumns(draft: Draft, renames: Record<string, string>): void {
  for (const [from, to] of Object.entries(renames).sort()) {
    const [schema, table, column] = from.split('.');
    const row = draft.rows.get(`table:${schema}.${table}`);
    if (
      !row?.state ||
      !row.state.columns.some((c) => c.name === column) ||
      row.state.columns.some((c) => c.name === to)
    )
      continue;
    const r = renameColumn(row.state, column, to);
    push(draft, {
      action: 'rename',
      target: row.id,
      summary: `rename column ${from} to ${to}`,
      sql: r.sql,
      reverse: r.reverse,
      changes: [{ seq: row.seq, before: row, after: { ...row, state: r.state } }],
      destructive: [],
    });
  }
}

/** Recorded steps the plan dropped or changed: to undo (retire), to change later, or blocked. */
function sortRecorded(
  draft: Draft,
  plannedById: Map<string, PlannedStep>,
): { retire: Map<string, RecordedStep>; later: Change[] } {
  const retire = new Map<string, RecordedStep>();
  const later: Change[] = [];
  for (const row of draft.rows.values()) {
    // The record of an evolution file's VALIDATE CONSTRAINT: bookkeeping of its constraint's step.
    if (row.kind === 'validate') continue;
    const next = plannedById.get(row.id);
    if (next && next.checksum === row.checksum) continue;
    const outcome: Outcome = next ? changedStep(row, next) : removedStep(row);
    if ('step' in outcome) later.push(outcome.step);
    else if ('blocked' in outcome) draft.blocked.push({ id: row.id, reason: outcome.blocked });
    else retire.set(row.id, row);
  }
  return { retire, later };
}

function removedStep(row: RecordedStep): Outcome {
  return DATA_KINDS.has(row.kind) ? { step: forget(row) } : { retire: true };
}

function changedStep(row: RecordedStep, next: PlannedStep): Outcome {
  const after = asRow(next, row.seq);
  if (row.kind === 'table') {
    const alter = alterStep(row, next, after);
    return typeof alter === 'string' ? { blocked: alter } : { step: alter };
  }
  if (row.kind === 'sequences')
    // New sequences (a table added by this revision) must be set too: forgetting the old
    // record leaves the new step pending, and setting a sequence never moves it backwards.
    return {
      step: {
        ...forget(row),
        summary: `set the sequences again after the load: ${row.id} changed (a sequence only moves forward)`,
      },
    };
  if (DATA_KINDS.has(row.kind) || (row.up !== null && sameStatement(row, next))) return { step: carry(row, after) };
  if (replaceableRoutine(row, next)) return { step: overwrite(row, next, after) };
  if (HOLDS_STATE.has(row.kind))
    return {
      blocked: `a ${row.kind} cannot be dropped and re-created in place; change it by hand or roll back to before it`,
    };
  return { retire: true };
}

/** The plan creates plainly; replacing a routine the engine recorded as its own is safe. */
function replaceableRoutine(row: RecordedStep, next: PlannedStep): boolean {
  return ROUTINES.has(row.kind) && row.up !== null && ROUTINE_CREATE.test(row.up) && ROUTINE_CREATE.test(next.sql);
}

/** Undo the retired steps, newest first (what depends on an object goes before it). */
function retireNewestFirst(
  draft: Draft,
  retire: Map<string, RecordedStep>,
  plannedById: Map<string, PlannedStep>,
): void {
  // A re-created materialized view is empty until its refresh runs again.
  for (const row of [...retire.values()]) {
    const refresh =
      row.kind === 'materialized-view' ? draft.rows.get(row.id.replace(/^materialized-view:/, 'refresh:')) : undefined;
    if (refresh) retire.set(refresh.id, refresh);
  }
  for (const row of [...retire.values()].sort((a, b) => b.seq - a.seq)) {
    if (row.up === null)
      draft.blocked.push({
        id: row.id,
        reason: 'recorded by an older supamigrate without its SQL, so it could not be undone',
      });
    else push(draft, withValidateRow(retireStep(row, plannedById.has(row.id)), draft.rows));
  }
}

/**
 * A step that removes a constraint's row also removes the row of its VALIDATE step (an earlier
 * evolution file added it NOT VALID): left behind, it would stand for a constraint that is gone,
 * and a re-added constraint of the same name could not record its own. Rollback puts it back.
 */
export function withValidateRow<S extends Pick<EvolutionStep, 'changes'>>(
  step: S,
  rows: ReadonlyMap<string, RecordedStep>,
): S {
  const extra = step.changes.flatMap((c) => {
    const id = c.before && !c.after ? validateRowId(c.before.id, c.before.kind) : null;
    const row = id ? rows.get(id) : undefined;
    return row && !step.changes.some((o) => o.before?.id === row.id)
      ? [{ seq: row.seq, before: row, after: null }]
      : [];
  });
  return extra.length === 0 ? step : { ...step, changes: [...step.changes, ...extra] };
}

/** The steps numbered in order, and the destructive ones the spec does not allow. */
function numbered(revision: string, draft: Draft, allowDestructive: string[]): EvolutionPlan {
  const allowed = new Set(allowDestructive);
  const refused = draft.steps.flatMap((s) =>
    s.destructive.filter((o) => !allowed.has(o)).map((object) => ({ object, by: s.target, reason: s.summary })),
  );
  const width = String(draft.steps.length).length;
  return {
    revision,
    steps: draft.steps.map((s, i) => ({
      id: `evolve:${revision}:${String(i + 1).padStart(width, '0')}:${s.action}:${s.target}`,
      ...s,
    })),
    refused,
    blocked: draft.blocked,
  };
}

/** The checkpoint row a plan step leaves once applied, at the seq of the row it replaces. */
function asRow(s: PlannedStep, seq: number): RecordedStep {
  return {
    seq,
    id: s.id,
    phase: s.phase,
    kind: s.kind,
    checksum: s.checksum,
    up: s.sql,
    down: s.down,
    file: s.file,
    state: s.state ?? null,
  };
}

function carry(row: RecordedStep, after: RecordedStep): Change {
  return {
    action: 'carry',
    target: row.id,
    summary: `record the new ${row.kind === 'data' ? 'copy spec' : 'definition'} of ${row.id} (nothing runs; rows stay)`,
    sql: '',
    reverse: '',
    changes: [{ seq: row.seq, before: row, after }],
    destructive: [],
  };
}

function overwrite(row: RecordedStep, next: PlannedStep, after: RecordedStep): Change {
  return {
    action: 'overwrite',
    target: row.id,
    summary: `replace ${row.id} (create or replace)`,
    sql: orReplace(next.sql),
    reverse: orReplace(row.up ?? ''),
    changes: [{ seq: row.seq, before: row, after }],
    destructive: [],
  };
}

/** A step whose SQL is unchanged and only its recorded down differs: nothing to run. */
function sameStatement(row: RecordedStep, next: PlannedStep): boolean {
  return row.up === next.sql && row.down !== next.down;
}

function retireStep(row: RecordedStep, replaced: boolean): Change {
  const object = row.id.replace(/^[a-z-]+:/, '');
  // By kind, and by what the down does, for steps whose kind does not say it (hand-made plans).
  const destructive =
    row.kind === 'table' || (row.kind === 'schema' && !row.id.startsWith('security:')) || DESTROYS.test(row.down)
      ? [object]
      : [];
  return {
    action: 'retire',
    target: row.id,
    summary: replaced
      ? `replace ${row.id}: run its recorded down, then the new step`
      : `remove ${row.id}: run its recorded down`,
    sql: row.down,
    reverse: row.up ?? '',
    changes: [{ seq: row.seq, before: row, after: null }],
    destructive,
  };
}

function forget(row: RecordedStep): Change {
  return {
    action: 'forget',
    target: row.id,
    summary: `forget ${row.id}: the plan no longer loads it; its rows stay`,
    sql: '',
    reverse: '',
    changes: [{ seq: row.seq, before: row, after: null }],
    destructive: [],
  };
}

function alterStep(row: RecordedStep, next: PlannedStep, after: RecordedStep): Change | string {
  if (!row.state || !next.state)
    return (
      'the table was recorded without its definition (applied by an older supamigrate); roll it back and apply ' +
      'again'
    );
  const a = alterTable(row.state, next.state);
  if (a.blocked.length > 0) return a.blocked.join('; ');
  const sql = a.up.length > 0 ? `${a.up.join('\n')}\n` : '';
  const summary =
    a.changes.length > 0
      ? `alter table ${next.state.schema}.${next.state.name}: ${a.changes.join(', ')}`
      : `record the new definition of ${row.id} (same columns)`;
  return {
    action: a.up.length > 0 ? 'alter' : 'carry',
    target: row.id,
    summary,
    sql,
    reverse: a.reverse.length > 0 ? `${a.reverse.join('\n')}\n` : '',
    changes: [{ seq: row.seq, before: row, after }],
    destructive: a.destructive,
  };
}
