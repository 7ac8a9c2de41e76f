import { Listr } from 'listr2';
import type { DataEvent } from '../execute/data';
import type { Output } from '../render/output';

/**
 * Renders the data load's events. The engine only emits events; this is the one place that
 * turns them into a terminal task list (listr2, per table: rows, rows/s, ETA), plain lines
 * (one per event, when stdout is not a terminal) or JSON lines on stderr (with --json, so
 * stdout stays one JSON document).
 */
export type ProgressMode = 'tty' | 'lines' | 'json';

export function progressMode(json: boolean | undefined, isTTY: boolean | undefined): ProgressMode {
  if (json) return 'json';
  return isTTY && !process.env.CI ? 'tty' : 'lines';
}

interface TableProgress {
  table: string;
  estimated: number;
  /** Rows recorded by an earlier run (chunks skipped on resume). */
  before: number;
  rows: number;
  startedAt: number;
  status: 'waiting' | 'loading' | 'completed' | 'failed';
}

/** Rows per second and the seconds left, from what this run has loaded so far. */
export function rateAndEta(p: TableProgress, now: number): { rate: number; eta: number | null } {
  const seconds = Math.max(0.001, (now - p.startedAt) / 1000);
  const rate = p.rows / seconds;
  const left = Math.max(0, p.estimated - p.before - p.rows);
  return { rate, eta: rate > 0 && p.status === 'loading' ? left / rate : null };
}

const num = (n: number) => Math.round(n).toLocaleString('en-US');
const duration = (s: number) =>
  s >= 90 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.ceil(s)}s`;

export function progressText(p: TableProgress, now: number): string {
  const { rate, eta } = rateAndEta(p, now);
  const total = p.before + p.rows;
  const of = p.estimated > 0 ? `/~${num(Math.max(p.estimated, total))}` : '';
  const resumed = p.before > 0 ? `, ${num(p.before)} from an earlier run` : '';
  const tail = p.status === 'loading' ? `${eta === null ? '' : `, ETA ${duration(eta)}`}` : '';
  return `${num(total)}${of} rows, ${num(rate)} rows/s${tail}${resumed}`;
}

/** The part of a listr2 task wrapper this renderer writes. */
interface ListrTask {
  title: string | undefined;
  output: string | undefined;
}

export class DataProgress {
  private readonly tables = new Map<string, TableProgress>();
  private readonly waiters = new Map<
    string,
    { task: ListrTask | null; output?: string; done: (err?: Error) => void; finished: Promise<void> }
  >();
  private list: Promise<unknown> | null = null;

  constructor(
    private readonly mode: ProgressMode,
    private readonly out: Output,
    private readonly now: () => number = Date.now,
  ) {}

  /** The callback for applyProject's onData. */
  readonly onEvent = (e: DataEvent): void => {
    if (this.mode === 'json') {
      process.stderr.write(`${JSON.stringify(e)}\n`);
      return;
    }
    this.track(e);
    if (this.mode === 'tty') this.tty(e);
    else {
      const line = this.line(e);
      if (line) this.out.line(line);
    }
  };

  private held: string[] = [];

  /** Prints a line of other output; while the task list is on screen it waits below it. */
  print(text: string): void {
    if (this.list) this.held.push(text);
    else this.out.line(text);
  }

  /** Waits for the task list to draw its last frame, then prints what was held back. */
  async settle(): Promise<void> {
    await this.list?.catch(() => undefined);
    this.list = null;
    const held = this.held;
    this.held = [];
    held.forEach((l) => this.out.line(l));
  }

  private track(e: DataEvent): void {
    const now = this.now();
    if (e.type === 'load-start') {
      for (const t of e.tables)
        this.tables.set(t.table, {
          table: t.table,
          estimated: t.estimatedRows,
          before: 0,
          rows: 0,
          startedAt: now,
          status: 'waiting',
        });
      return;
    }
    const p = this.tables.get(e.table) ?? {
      table: e.table,
      estimated: 0,
      before: 0,
      rows: 0,
      startedAt: now,
      status: 'waiting' as const,
    };
    this.tables.set(e.table, p);
    if (e.type === 'table-start')
      Object.assign(p, { status: 'loading', startedAt: now, before: e.skippedRows, rows: 0 });
    if (e.type === 'chunk-done') p.rows += e.rows;
    if (e.type === 'table-done') p.status = e.status;
  }

  /** One plain line per event. */
  line(e: DataEvent): string | null {
    const p = e.type === 'load-start' ? undefined : this.tables.get(e.table);
    const now = this.now();
    switch (e.type) {
      case 'load-start':
        return `       data     ${e.tables.length} table(s), ~${num(e.tables.reduce((n, t) => n + t.estimatedRows, 0))} rows`;
      case 'table-start':
        return `       load     ${e.table}${e.chunks !== null ? ` (${e.chunks} chunks${e.skipped ? `, ${e.skipped} already loaded` : ''})` : e.skipped ? ` (${e.skipped} chunks already loaded)` : ''}`;
      case 'chunk-done':
        return `       chunk    ${e.table} #${e.chunk}: ${num(e.rows)} rows; ${p ? progressText(p, now) : ''}`;
      case 'table-restart':
        return `       restart  ${e.table}: partly loaded in a snapshot no longer held, loading it again whole`;
      case 'chunk-retry':
        return `       retry    ${e.table} chunk ${e.chunk} (attempt ${e.attempt}): ${e.error}`;
      case 'table-done':
        return `       ${e.status === 'completed' ? 'loaded  ' : 'FAILED  '} ${e.table}: ${e.rows} rows${p && e.status === 'completed' ? ` (${num(rateAndEta(p, now).rate)} rows/s)` : ''}`;
    }
  }

  private tty(e: DataEvent): void {
    if (e.type === 'load-start') {
      // Each table's outcome exists from the start: events may arrive before listr has called
      // the task function, which then only picks its table's state up.
      for (const t of e.tables) {
        let done: (err?: Error) => void = () => undefined;
        const finished = new Promise<void>((resolve, reject) => (done = (err) => (err ? reject(err) : resolve())));
        finished.catch(() => undefined);
        this.waiters.set(t.table, { task: null, done, finished });
      }
      const list = new Listr(
        e.tables.map((t) => ({
          title: `${t.table}: waiting`,
          task: (_ctx: unknown, task: ListrTask) => {
            const w = this.waiters.get(t.table)!;
            w.task = task;
            this.redraw(t.table);
            return w.finished;
          },
        })),
        {
          concurrent: true,
          exitOnError: false,
          registerSignalListeners: false,
          rendererOptions: { collapseErrors: false },
        },
      );
      this.list = list.run().finally(() => {
        // Lines printed meanwhile (the steps the load finished) follow the final frame.
        if (this.list === running) void this.settle();
      });
      const running = this.list;
      return;
    }
    const w = this.waiters.get(e.table);
    if (!w) return;
    if (e.type === 'chunk-retry') w.output = `retry ${e.attempt} of chunk ${e.chunk}: ${e.error}`;
    this.redraw(e.table);
    if (e.type === 'table-done')
      w.done(e.status === 'completed' ? undefined : new Error(`${e.table}: failed after ${num(e.rows)} rows`));
  }

  private redraw(table: string): void {
    const w = this.waiters.get(table);
    const p = this.tables.get(table);
    if (!w?.task || !p) return;
    w.task.title = `${table}: ${p.status === 'waiting' ? 'waiting' : progressText(p, this.now())}`;
    if (w.output) w.task.output = w.output;
  }
}
