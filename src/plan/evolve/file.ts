import type { EvolutionSpec } from '../../spec/types';
import { planEvolution, rewritesTable } from './index';
import type { TableState } from '../schema/state';
import { onlineForm } from './online';
import type { EvolutionAction, EvolutionPlan, PlannedStep, RecordedStep, RowChange } from './types';

/**
 * One step of an evolution file. `evolution` steps change what the base revision created
 * (renames, recorded downs, ALTER TABLE) and rewrite its checkpoint rows; `plan` steps are the new
 * revision's steps the base did not have (new or replaced objects), exactly as the phase files
 * hold them.
 */
export interface EvolutionFileStep {
  id: string;
  role: 'evolution' | 'plan';
  phase: string;
  kind: string;
  sql: string;
  down: string;
  /** Evolution steps: what they do, and the checkpoint rows they replace. */
  action?: EvolutionAction;
  target?: string;
  summary?: string;
  changes?: RowChange[];
  destructive?: string[];
  /** Plan steps that create a table: its definition, recorded for the next evolution. */
  state?: TableState;
  /**
   * Runs after the evolution's transaction committed, on its own (CREATE INDEX CONCURRENTLY,
   * VALIDATE CONSTRAINT), and is recorded once it finished. Such steps come last in the file.
   */
  nonTransactional?: true;
  /** A plan step written in another form than the phase file's: the plan's checksum, to record. */
  records?: string;
}

export interface EvolutionFilePlan {
  version: string;
  from: string;
  to: string;
  steps: EvolutionFileStep[];
  refused: { object: string; by: string; reason: string }[];
  blocked: { id: string; reason: string }[];
  /** Type changes that rewrite a table under an ACCESS EXCLUSIVE lock, with the table's size. */
  rewrites: TableRewrite[];
}

export interface TableRewrite {
  table: string;
  columns: string[];
  /** From the source snapshot (pg_class.reltuples and the relation's size). */
  estimatedRows: number;
  sizeBytes: number;
}

export type TableSizes = (table: string) => { estimatedRows: number; sizeBytes: number } | undefined;

/** Phases the loader runs: their steps stay pending on an evolved target and load after it. */
const LOADED_PHASES = new Set(['data']);

/**
 * The base revision's steps (as a target that applied it recorded them) + the new plan -> the
 * statements of the evolution file with `version`. Pure and deterministic.
 */
export function planEvolutionFile(
  base: RecordedStep[],
  planned: PlannedStep[],
  spec: EvolutionSpec,
  version: string,
  from: string,
  sizes: TableSizes = () => undefined,
): EvolutionFilePlan {
  const evolution = planEvolution(base, planned, spec);
  const rewrites = evolution.steps.flatMap((s) => (s.action === 'alter' ? rewriteOf(s.changes, sizes) : []));
  const { inTransaction, last } = newPlanSteps(base, evolution, planned);
  return {
    version,
    from,
    to: evolution.revision,
    steps: [...evolutionSteps(evolution, version, rewrites), ...inTransaction, ...last],
    refused: evolution.refused,
    blocked: evolution.blocked,
    rewrites,
  };
}

/** The evolution's own steps, numbered under the file's version, with what each rewrites. */
function evolutionSteps(evolution: EvolutionPlan, version: string, rewrites: TableRewrite[]): EvolutionFileStep[] {
  const prefix = `evolve:${evolution.revision}:`;
  return evolution.steps.map((s) => {
    const rewrite = rewrites.find((r) => `table:${r.table}` === s.target);
    return {
      id: `evolve:${version}:${s.id.slice(prefix.length)}`,
      role: 'evolution',
      phase: 'evolve',
      kind: 'evolution',
      sql: s.sql,
      down: s.reverse,
      action: s.action,
      target: s.target,
      summary: rewrite ? `${s.summary}; ${describeRewrite(rewrite)}` : s.summary,
      changes: s.changes,
      destructive: s.destructive,
    };
  });
}

/**
 * The plan steps the target lacks once the evolution ran, in plan order; those that must run
 * outside the transaction (in their online form) go last.
 */
function newPlanSteps(
  base: RecordedStep[],
  evolution: EvolutionPlan,
  planned: PlannedStep[],
): { inTransaction: EvolutionFileStep[]; last: EvolutionFileStep[] } {
  const present = new Set(base.map((r) => r.id));
  for (const s of evolution.steps) {
    for (const c of s.changes) if (c.before) present.delete(c.before.id);
    for (const c of s.changes) if (c.after) present.add(c.after.id);
  }
  const tables = new Set(base.filter((r) => r.id.startsWith('table:')).map((r) => r.id.slice('table:'.length)));
  const inTransaction: EvolutionFileStep[] = [];
  const last: EvolutionFileStep[] = [];
  for (const p of planned) {
    if (present.has(p.id) || LOADED_PHASES.has(p.phase)) continue;
    const online = onlineForm(p, tables);
    const s: EvolutionFileStep = {
      id: p.id,
      role: 'plan',
      phase: p.phase,
      kind: p.kind,
      sql: online?.sql ?? p.sql,
      down: p.down,
      ...(online ? { records: p.checksum } : {}),
      ...(p.state ? { state: p.state } : {}),
    };
    if (online?.nonTransactional) last.push({ ...s, nonTransactional: true });
    else inTransaction.push(s);
    for (const a of online?.after ?? []) last.push({ ...a, role: 'plan', phase: p.phase, nonTransactional: true });
  }
  return { inTransaction, last };
}

function rewriteOf(changes: RowChange[], sizes: TableSizes): TableRewrite[] {
  const before = changes[0]?.before?.state;
  const after = changes[0]?.after?.state;
  if (!before || !after) return [];
  const old = new Map(before.columns.map((c) => [c.name, c.type]));
  const columns = after.columns
    .filter((c) => old.has(c.name) && rewritesTable(old.get(c.name) as string, c.type))
    .map((c) => `${c.name}: ${old.get(c.name)} -> ${c.type}`);
  if (columns.length === 0) return [];
  const table = `${after.schema}.${after.name}`;
  return [{ table, columns, ...(sizes(table) ?? { estimatedRows: -1, sizeBytes: 0 }) }];
}

/** One line for the plan and the file: what is rewritten, how big it is, what it locks. */
export function describeRewrite(r: TableRewrite): string {
  const rows = r.estimatedRows >= 0 ? `about ${Math.round(r.estimatedRows)} rows, ` : '';
  return `rewrites ${r.table} (${rows}${(r.sizeBytes / 1024 / 1024).toFixed(1)} MB) under an ACCESS EXCLUSIVE lock: ${r.columns.join(', ')}`;
}
