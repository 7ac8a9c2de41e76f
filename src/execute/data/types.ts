import type { Db } from '../../db';
import type { TableCopy } from '../../plan/data/types';

/** One unit of work: a slice of a table that loads and commits with its checkpoint. */
export interface Chunk {
  no: number;
  /** range: inclusive lower and exclusive upper integer bound; keyset: exclusive lower key. */
  lo: string | null;
  hi: string | null;
  /** keyset: the lower key as text values (null for the first chunk). */
  after: string[] | null;
}

export type DataEvent =
  /** snapshot: the source snapshot every reader imports; null when the source cannot export one (PGlite). */
  | { type: 'load-start'; tables: { table: string; estimatedRows: number }[]; snapshot?: string | null }
  /** chunks: null when the count is not known ahead (keyset pages); skippedRows: recorded by an earlier run. */
  | { type: 'table-start'; table: string; chunks: number | null; skipped: number; skippedRows: number }
  /** The table was partly loaded in a snapshot no longer held: emptied, it loads again whole in `snapshot`. */
  | { type: 'table-restart'; table: string; snapshot: string }
  | { type: 'chunk-done'; table: string; chunk: number; rows: number }
  | { type: 'chunk-retry'; table: string; chunk: number; attempt: number; error: string }
  | { type: 'table-done'; table: string; status: TableStatus; rows: number };

export type TableStatus = 'completed' | 'failed';

export interface ChunkFailure {
  chunk: number;
  message: string;
  /** Key of the row the target rejected, as `col=value` pairs, when one row is to blame. */
  rowKey: string | null;
  /** SQLSTATE of the Postgres error, when there is one. */
  code: string | null;
}

export interface TableResult {
  id: string;
  status: TableStatus;
  rows: number;
  chunksDone: number;
  chunksSkipped: number;
  error: ChunkFailure | null;
}

export interface DataResult {
  ok: boolean;
  tables: TableResult[];
}

export interface CopyTablesOptions {
  connectSource: () => Promise<Db>;
  connectTarget: () => Promise<Db>;
  tables: TableCopy[];
  /** Rows per chunk at most (and the dry run's rows per table). */
  batchSize: number;
  /** Bytes per chunk, from the table's average row size on the source (default 64 MB). */
  chunkBytes?: number;
  parallel: number;
  onEvent?: (e: DataEvent) => void;
  /** Reconnects per chunk after a dropped connection (default 5). */
  maxRetries?: number;
  /** First back-off delay in ms, doubled per try (default 200). */
  retryDelayMs?: number;
  dryRun?: boolean;
  /**
   * The exported source snapshot to read in, held by the caller; null reads without one.
   * Unset: copyTables exports and holds one itself when the source is a server.
   */
  snapshot?: string | null;
  /**
   * Offer range chunks to `apply --data-worker` processes through the pool on the target; needs
   * a held snapshot (they import it). Keyset and whole tables stay with this process.
   */
  shareData?: boolean;
  /** statement_timeout of each chunk's transaction on the target, in seconds (0 or unset: none). */
  statementTimeoutSeconds?: number;
}
