import type { TableState } from '../../plan/schema/state';
import type { SequenceReset, TableCopy } from '../../plan/data/types';
import type { TransferSpec } from '../../plan/storage/types';

interface StepBase {
  id: string;
  phase: string;
  kind: string;
  /** The step as planned and checksummed: its SQL, or its payload's JSON for a data step. */
  body: string;
  down: string;
  checksum: string;
  file: string | null;
  line: number;
  /** Table steps: the definition recorded with the checkpoint, for later evolution. */
  state?: TableState;
}

/** A statement run in a transaction together with its checkpoint. */
export interface SqlStep extends StepBase {
  type: 'sql';
  sql: string;
}

/** One table copied from the source by the copy engine, chunk by chunk. */
export interface TableCopyStep extends StepBase {
  type: 'table-copy';
  copy: TableCopy;
}

/** Sequence and identity values set from the source's. */
export interface SequenceResetStep extends StepBase {
  type: 'sequence-reset';
  resets: SequenceReset[];
}

/** One bucket's files uploaded through the Storage API. */
export interface StorageTransferStep extends StepBase {
  type: 'storage-transfer';
  transfer: TransferSpec;
}

/** A step as the executor runs it, decoded once where the plan is read. */
export type ExecutableStep = SqlStep | TableCopyStep | SequenceResetStep | StorageTransferStep;

/** A step without its SQL: what the evolution planner and the checkpoint rows want. */
export function asPlanned(s: ExecutableStep): StepBase & { sql: string } {
  const { id, phase, kind, body, down, checksum, file, line, state } = s;
  return { id, phase, kind, body, down, checksum, file, line, sql: body, ...(state ? { state } : {}) };
}
