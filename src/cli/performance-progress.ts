import { Listr } from 'listr2';
import type { Output } from '../render/output';
import type { ProgressMode } from './progress';

/** The part of a listr2 task wrapper this renderer writes. */
interface TitledTask {
  title: string | undefined;
}

const seconds = (ms: number): string => `${Math.round(ms / 1000)}s`;

/**
 * Progress of `validate --performance`, query by query: one listr2 task on a terminal (its title
 * counts the queries and names the last one), a plain line per query otherwise, nothing with
 * --json (stdout stays one JSON document). Query names carry no sampled value.
 */
export class PerformanceProgress {
  private task: TitledTask | null = null;
  private title = 'performance: sampling the workload';
  private finish: () => void = () => undefined;
  private list: Promise<unknown> | null = null;
  private readonly startedAt: number;

  constructor(
    private readonly mode: ProgressMode,
    private readonly out: Output,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
  }

  /** The callback for validateProject's onProgress: `done` of `total` queries, `name` the last one. */
  readonly onProgress = (done: number, total: number, name?: string): void => {
    if (this.mode === 'json') return;
    const last = name ? `, last ${name}` : '';
    this.title = `performance: ${done}/${total} queries${last} (${seconds(this.now() - this.startedAt)})`;
    if (this.mode === 'lines') {
      if (name) this.out.line(`       perf     ${done}/${total} ${name}`);
      return;
    }
    if (!this.list) this.start();
    if (this.task) this.task.title = this.title;
    if (done >= total) this.finish();
  };

  private start(): void {
    const finished = new Promise<void>((resolve) => (this.finish = resolve));
    const list = new Listr(
      [
        {
          title: this.title,
          task: (_ctx: unknown, task: TitledTask) => {
            this.task = task;
            task.title = this.title;
            return finished;
          },
        },
      ],
      { registerSignalListeners: false, exitOnError: false },
    );
    this.list = list.run();
  }

  /** Ends the task list (also when the run stopped early) and waits for its last frame. */
  async settle(): Promise<void> {
    this.finish();
    await this.list?.catch(() => undefined);
    this.list = null;
  }
}
