import { type Db, openDb, parseDbUrl } from '../db';
import {
  type ChunkFailure,
  type DataEvent,
  SnapshotHolder,
  applySequenceResets,
  copyTables,
  openSourceAsOf,
} from '../execute/data';
import type { ExecutableStep } from '../execute';
import { savepointTarget } from '../execute/data/dry-run';
import { followersByCopy } from '../execute/data/followers';
import { StepPool, runStepsInParallel } from '../execute/data/post-data';
import type { Spec } from '../spec/types';

interface Connector {
  connect: () => Promise<Db>;
  close: () => Promise<void>;
}

/** Per step id: null when it succeeded, else why it failed. */
type StepErrors = Map<string, string | null>;

/**
 * Connections for data workers. A server gets a new connection per worker; an embedded database
 * lives in this process and can be opened only once, so every worker shares that one.
 */
function connector(url: string, existing?: Db): Connector {
  if (parseDbUrl(url).kind === 'pg') return { connect: () => openDb(url), close: async () => undefined };
  let shared: Promise<Db> | null = existing ? Promise.resolve(existing) : null;
  const opened = !existing;
  return {
    connect: async () => {
      shared ??= openDb(url);
      const db = await shared;
      return {
        ...db,
        kind: db.kind,
        query: db.query.bind(db),
        exec: db.exec.bind(db),
        transaction: db.transaction.bind(db),
        close: async () => undefined,
      };
    },
    close: async () => {
      if (opened && shared) await (await shared).close();
    },
  };
}

export interface DataRunnerOptions {
  /** Asked only when a data step is pending, so a finished target needs no source. */
  sourceUrl: () => string;
  targetUrl: string;
  target: Db;
  spec: Spec;
  onEvent?: (e: DataEvent) => void;
  /** Where the copy's snapshot comes from instead (apply --online: the replication slot's). */
  takeSnapshot?: () => Promise<{ id: string; release(): Promise<void> } | null>;
  /** Offer range chunks to `apply --data-worker` processes (apply --share-data). */
  shareData?: boolean;
}

/**
 * The executor's data runner: table loads through the copy engine, then sequence values, all
 * read in one exported snapshot of the source, held from the first batch until `release`.
 */
export function dataRunner(o: DataRunnerOptions) {
  let holder: Promise<{ id: string; release(): Promise<void> } | null> | null = null;
  const snapshotId = async () => {
    holder ??= o.takeSnapshot
      ? o.takeSnapshot()
      : parseDbUrl(o.sourceUrl()).kind === 'pg'
        ? SnapshotHolder.take(() => openDb(o.sourceUrl(), 'source'))
        : Promise.resolve(null);
    return (await holder)?.id ?? null;
  };
  /** followers: keys and indexes to build as soon as their table is loaded (servers only). */
  const run = async (
    steps: ExecutableStep[],
    dryRunTarget?: Db,
    followers: ExecutableStep[] = [],
  ): Promise<StepErrors> => {
    const source = connector(o.sourceUrl());
    // A dry run loads each table's first batch into its own rolled-back transaction.
    const target = dryRunTarget
      ? { connect: async () => savepointTarget(dryRunTarget), close: async () => undefined }
      : connector(o.targetUrl, o.target);
    try {
      const snapshot = dryRunTarget ? null : await snapshotId();
      if (steps[0].kind === 'sequences') return await setSequences(steps, source, snapshot, dryRunTarget ?? o.target);
      return await loadTables(o, { steps, followers, source, target, snapshot, dryRun: Boolean(dryRunTarget) });
    } finally {
      await source.close();
      await target.close();
    }
  };
  /** Ends the snapshot's transaction on the source; safe to call more than once. */
  const release = async () => {
    const held = holder;
    holder = null;
    await (await held?.catch(() => null))?.release();
  };
  return Object.assign(run, { release });
}

/** Sequence values as of the snapshot; a sequence missing on the target fails every step. */
async function setSequences(
  steps: ExecutableStep[],
  source: Connector,
  snapshot: string | null,
  target: Db,
): Promise<StepErrors> {
  const src = await openSourceAsOf(source.connect, snapshot);
  const failures: string[] = [];
  try {
    for (const s of steps.filter((x) => x.type === 'sequence-reset')) {
      const results = await applySequenceResets(src, target, s.resets);
      failures.push(
        ...results.filter((r) => r.note === 'not found on the target').map((r) => `${r.sequence}: ${r.note}`),
      );
    }
  } finally {
    await src.close();
  }
  return new Map(steps.map((s) => [s.id, failures.length > 0 ? failures.join('; ') : null]));
}

interface TableLoad {
  steps: ExecutableStep[];
  /** Keys and indexes to build as soon as their table is loaded (servers only). */
  followers: ExecutableStep[];
  source: Connector;
  target: Connector;
  snapshot: string | null;
  /** Each table's first batch in a rolled-back transaction. */
  dryRun: boolean;
}

/** The table copies through the copy engine, with their followers built as each table finishes. */
async function loadTables(o: DataRunnerOptions, load: TableLoad): Promise<StepErrors> {
  const tables = load.steps.flatMap((s) => (s.type === 'table-copy' ? [s.copy] : []));
  const early = load.dryRun ? new Map<string, ExecutableStep[]>() : followersByCopy(tables, load.followers);
  const pool = early.size > 0 ? indexPool(o) : null;
  const result = await copyTables({
    connectSource: load.source.connect,
    connectTarget: load.target.connect,
    tables,
    // A dry run tries one batch per table.
    batchSize: load.dryRun ? o.spec.data.batchSize : o.spec.data.chunkRows,
    parallel: load.dryRun ? 1 : o.spec.data.parallel,
    dryRun: load.dryRun,
    snapshot: load.snapshot,
    shareData: o.shareData,
    statementTimeoutSeconds: o.spec.options.timeoutSeconds,
    onEvent: (e) => {
      if (e.type === 'table-done' && e.status === 'completed') pool?.push(early.get(e.table) ?? []);
      o.onEvent?.(e);
    },
  });
  const built = (await pool?.finish()) ?? new Map<string, { error: string | null }>();
  return new Map([
    ...[...built].map(([id, r]) => [id, r.error] as const),
    ...result.tables.map((t) => [t.id, t.status === 'completed' ? null : copyFailure(t.error)] as const),
  ]);
}

function copyFailure(e: ChunkFailure | null): string {
  return `chunk ${e?.chunk}: ${e?.message}${e?.rowKey ? ` (row ${e.rowKey})` : ''}${e?.code ? ` [${e.code}]` : ''}`;
}

/** Index builds during the load: as many connections as the post-data phase would use. */
function indexPool(o: DataRunnerOptions): StepPool {
  return new StepPool({
    connect: () => openDb(o.targetUrl),
    parallel: o.spec.data.parallel,
    statementTimeoutSeconds: o.spec.options.timeoutSeconds,
  });
}

/**
 * The executor's runner for independent post-data steps (keys, indexes, foreign keys): on a
 * server, `data.parallel` connections build them side by side. An embedded target has only one
 * connection, so it gets none and the executor runs those steps in order.
 */
export function postDataRunner(targetUrl: string, spec: Spec) {
  if (parseDbUrl(targetUrl).kind !== 'pg' || spec.data.parallel < 2) return undefined;
  return (steps: ExecutableStep[], onDone: (id: string, error: string | null, ms: number) => void) =>
    runStepsInParallel(steps, {
      connect: () => openDb(targetUrl),
      parallel: spec.data.parallel,
      statementTimeoutSeconds: spec.options.timeoutSeconds,
      onDone,
    });
}
