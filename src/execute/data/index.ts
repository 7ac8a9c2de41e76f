import type { Db } from '../../db';
import type { TableCopy } from '../../plan/data/types';
import { GEOMETRY_CHUNK, ensureCheckpointTable, readCheckpoint, readCheckpoints } from './checkpoints';
import { chunkSize, keysetBoundary, rangeChunks, type ChunkSize } from './chunks';
import { runChunk } from './chunk-run';
import { ConnectionPair } from './connections';
import { describeFailure } from './failure';
import { restartIfStale } from './resume';
import { isTransient, prepareSession, sleep } from './session';
import { SnapshotHolder } from './snapshot';
import { claimChunk, closePool, openPool, offerChunks } from './pool';
import type { Chunk, CopyTablesOptions, DataEvent, DataResult, TableResult } from './types';

export type { Chunk, ChunkFailure, CopyTablesOptions, DataEvent, DataResult, TableResult, TableStatus } from './types';
export { dataChecksums } from './checksums';
export { applySequenceResets, resetSequences, type SequenceResetResult } from './sequences';
export { undoTableCopy } from './undo';
export { SnapshotHolder, openSourceAsOf } from './snapshot';

/** Big enough that a chunk's fixed costs vanish, small enough that a kill loses little. */
const DEFAULT_CHUNK_BYTES = 64 * 1024 * 1024;

interface TableState {
  copy: TableCopy;
  result: TableResult;
  /** Chunks queued or running; the table is done when it reaches zero after planning. */
  pending: number;
}

type Job = { kind: 'table'; state: TableState } | { kind: 'chunk'; state: TableState; chunk: Chunk };

/**
 * Copies tables with `parallel` workers. Range-chunked tables are split into chunk jobs that any
 * worker may take; keyset and whole tables run in one worker, chunk after chunk. A dropped
 * connection retries the chunk with back-off; anything else fails the table, never the run.
 */
export async function copyTables(opts: CopyTablesOptions): Promise<DataResult> {
  const states = [...opts.tables]
    .sort((a, b) => a.order - b.order || a.id.localeCompare(b.id))
    .map(
      (copy): TableState => ({
        copy,
        pending: 0,
        result: { id: copy.id, status: 'completed', rows: 0, chunksDone: 0, chunksSkipped: 0, error: null },
      }),
    );
  if (!opts.dryRun) await withTarget(opts, ensureCheckpointTable);
  // A caller that runs several batches (tables, then sequences) holds the snapshot itself.
  const holder = opts.dryRun || opts.snapshot !== undefined ? null : await SnapshotHolder.take(opts.connectSource);
  const snapshot = opts.snapshot !== undefined ? opts.snapshot : (holder?.id ?? null);
  // Only a held snapshot can be shared: other machines' workers import it to read what we read.
  const pooled = Boolean(opts.shareData && !opts.dryRun && snapshot);
  try {
    if (pooled) await withTarget(opts, (db) => openPool(db, snapshot as string));
    opts.onEvent?.({
      type: 'load-start',
      tables: states.map((s) => ({ table: s.copy.id, estimatedRows: s.copy.estimatedRows })),
      snapshot,
    });
    const queue: Job[] = states.map((state) => ({ kind: 'table', state }));
    const workers = Array.from({ length: Math.max(1, opts.parallel) }, () => new Worker(opts, queue, snapshot, pooled));
    await Promise.all(workers.map((w) => w.run()));
  } finally {
    if (pooled) await withTarget(opts, closePool).catch(() => undefined);
    await holder?.release();
  }
  const tables = states.map((s) => s.result);
  return { ok: tables.every((t) => t.status === 'completed'), tables };
}

async function withTarget(opts: CopyTablesOptions, fn: (db: Db) => Promise<void>): Promise<void> {
  const db = await prepareSession(await opts.connectTarget());
  try {
    await fn(db);
  } finally {
    await db.close();
  }
}

class Worker {
  private readonly conn: ConnectionPair;
  private readonly emit: (e: DataEvent) => void;

  constructor(
    private readonly opts: CopyTablesOptions,
    private readonly queue: Job[],
    private readonly snapshot: string | null,
    /** Range chunks go through the shared pool on the target (apply --share-data). */
    private readonly pooled = false,
  ) {
    this.conn = new ConnectionPair(opts.connectSource, opts.connectTarget, snapshot);
    this.emit = opts.onEvent ?? (() => undefined);
  }

  async run(): Promise<void> {
    try {
      for (let job = this.queue.shift(); job; job = this.queue.shift()) {
        if (job.kind === 'table') await this.startTable(job.state);
        else await this.chunkJob(job.state, job.chunk);
      }
    } finally {
      await this.conn.discard();
    }
  }

  private async startTable(state: TableState): Promise<void> {
    const { copy } = state;
    if (this.opts.dryRun) {
      await this.guarded(state, { no: 0, lo: null, hi: null, after: null }, null, this.opts.batchSize);
      return this.finishTable(state);
    }
    const restarted = await this.withRetries(state, -1, ({ target }) => restartIfStale(target, copy, this.snapshot));
    if (restarted === undefined) return this.finishTable(state);
    if (restarted) this.emit({ type: 'table-restart', table: copy.id, snapshot: this.snapshot as string });
    if (copy.chunking !== 'range') {
      await this.sequentialTable(state);
      return this.finishTable(state);
    }
    const planned = await this.withRetries(state, -1, async ({ source, target }) => {
      const chunks = await rangeChunks(source, target, copy, await this.sizeOf(source, copy), this.snapshot);
      const recorded = new Map((await readCheckpoints(target, copy.id)).map((c) => [c.chunkNo, c.rows]));
      const skipped = chunks.filter((c) => recorded.has(c.no));
      if (this.pooled)
        await offerChunks(
          target,
          copy,
          chunks.filter((c) => !recorded.has(c.no)),
        );
      return {
        chunks: chunks.filter((c) => !recorded.has(c.no)),
        skipped: skipped.length,
        skippedRows: skipped.reduce((n, c) => n + recorded.get(c.no)!, 0),
      };
    });
    if (!planned) return this.finishTable(state);
    state.result.chunksSkipped = planned.skipped;
    this.emit({
      type: 'table-start',
      table: copy.id,
      chunks: planned.chunks.length + planned.skipped,
      skipped: planned.skipped,
      skippedRows: planned.skippedRows,
    });
    state.pending = planned.chunks.length;
    // At the front, so idle workers share this table before starting the next one.
    this.queue.unshift(...planned.chunks.map((chunk): Job => ({ kind: 'chunk', state, chunk })));
    if (state.pending === 0) this.finishTable(state);
  }

  private async chunkJob(state: TableState, chunk: Chunk): Promise<void> {
    if (state.result.status === 'completed' && this.pooled) {
      if (!(await this.pooledChunk(state, chunk))) return;
    } else if (state.result.status === 'completed') await this.guarded(state, chunk, null);
    state.pending -= 1;
    if (state.pending === 0) this.finishTable(state);
  }

  /**
   * Loads the chunk through the shared pool. false: another worker holds it, so the job goes to the
   * back of the queue (it comes back free if that worker dies). A chunk another worker committed
   * counts as done with its recorded rows.
   */
  private async pooledChunk(state: TableState, chunk: Chunk): Promise<boolean> {
    const work = {
      copy: state.copy,
      chunk,
      lastKey: null,
      statementTimeoutSeconds: this.opts.statementTimeoutSeconds,
      snapshot: this.snapshot,
    };
    const outcome = await this.withRetries(state, chunk, ({ source, target }) => claimChunk(source, target, work));
    if (outcome?.kind === 'busy') {
      this.queue.push({ kind: 'chunk', state, chunk });
      await sleep(100);
      return false;
    }
    if (outcome === undefined) return true;
    state.result.rows += outcome.rows;
    if (outcome.kind === 'loaded') state.result.chunksDone += 1;
    this.emit({ type: 'chunk-done', table: state.copy.id, chunk: chunk.no, rows: outcome.rows });
    return true;
  }

  /** Keyset pages or the whole table, each page committed with its checkpoint before the next. */
  private async sequentialTable(state: TableState): Promise<void> {
    const { copy } = state;
    const recorded = await this.withRetries(state, -1, ({ target }) => readCheckpoints(target, copy.id));
    if (!recorded) return;
    const chunks = recorded.filter((c) => c.chunkNo !== GEOMETRY_CHUNK);
    const last = chunks.at(-1);
    state.result.chunksSkipped = last ? last.chunkNo + 1 : 0;
    const skippedRows = chunks.reduce((n, c) => n + c.rows, 0);
    this.emit({
      type: 'table-start',
      table: copy.id,
      chunks: copy.chunking === 'whole' ? 1 : null,
      skipped: state.result.chunksSkipped,
      skippedRows,
    });
    if (last && (copy.chunking === 'whole' || last.keyHi === null)) return;
    let after: string[] | null = last?.keyHi ? (JSON.parse(last.keyHi) as string[]) : null;
    const size =
      copy.chunking === 'keyset' ? await this.withRetries(state, -1, ({ source }) => this.sizeOf(source, copy)) : null;
    if (copy.chunking === 'keyset' && !size) return;
    for (let no = last ? last.chunkNo + 1 : 0; ; no++) {
      const chunk: Chunk = { no, lo: null, hi: null, after };
      const lastKey =
        copy.chunking === 'keyset'
          ? await this.withRetries(state, no, ({ source }) => keysetBoundary(source, copy, after, size!.rows))
          : null;
      if (lastKey === undefined) return;
      if (!(await this.guarded(state, chunk, lastKey))) return;
      if (!lastKey) return;
      after = lastKey;
    }
  }

  private sizeOf(source: Db, copy: TableCopy): Promise<ChunkSize> {
    return chunkSize(source, copy, this.opts.batchSize, this.opts.chunkBytes ?? DEFAULT_CHUNK_BYTES);
  }

  /** Runs a chunk with retries; records success or the failure on the table. */
  private async guarded(
    state: TableState,
    chunk: Chunk,
    lastKey: string[] | null,
    dryRunLimit?: number,
  ): Promise<boolean> {
    const { copy } = state;
    const rows = await this.withRetries(
      state,
      chunk,
      async ({ source, target }, attempt) => {
        // Only a retry can find its chunk committed (the connection dropped after the commit).
        const committed =
          dryRunLimit === undefined && attempt > 0 ? await readCheckpoint(target, copy.id, chunk.no) : null;
        if (committed) return committed.rows; // the commit went through before the connection dropped
        const work = {
          copy,
          chunk,
          lastKey,
          dryRunLimit,
          statementTimeoutSeconds: this.opts.statementTimeoutSeconds,
          snapshot: this.snapshot,
        };
        return (await runChunk(source, target, work)).rows;
      },
      lastKey,
    );
    if (rows === undefined) return false;
    state.result.rows += rows;
    state.result.chunksDone += 1;
    this.emit({ type: 'chunk-done', table: copy.id, chunk: chunk.no, rows });
    return true;
  }

  /** undefined when the table failed (its result then says which chunk and why). */
  private async withRetries<T>(
    state: TableState,
    chunk: Chunk | number,
    fn: (c: { source: Db; target: Db }, attempt: number) => Promise<T>,
    lastKey: string[] | null = null,
  ): Promise<T | undefined> {
    const maxRetries = this.opts.maxRetries ?? 5;
    const delay = this.opts.retryDelayMs ?? 200;
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn(await this.conn.open(), attempt);
      } catch (err) {
        await this.conn.discard();
        if (isTransient(err) && attempt < maxRetries) {
          this.emit({
            type: 'chunk-retry',
            table: state.copy.id,
            chunk: typeof chunk === 'number' ? chunk : chunk.no,
            attempt: attempt + 1,
            error: String((err as Error).message ?? err),
          });
          await sleep(delay * 2 ** attempt);
          continue;
        }
        const failed: Chunk = typeof chunk === 'number' ? { no: chunk, lo: null, hi: null, after: null } : chunk;
        state.result.status = 'failed';
        state.result.error ??= await describeFailure(this.conn, state.copy, failed, lastKey, err);
        await this.conn.discard();
        return undefined;
      }
    }
  }

  private finishTable(state: TableState): void {
    this.emit({ type: 'table-done', table: state.copy.id, status: state.result.status, rows: state.result.rows });
  }
}
