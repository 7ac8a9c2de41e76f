import type { Db } from '../../db';
import { prepareSession } from './session';
import { openSourceAsOf } from './snapshot';

/** A worker's pair of connections, opened on first use and thrown away after any failure. */
export class ConnectionPair {
  private source: Db | null = null;
  private target: Db | null = null;

  constructor(
    private readonly connectSource: () => Promise<Db>,
    private readonly connectTarget: () => Promise<Db>,
    /** Each source connection reads in this exported snapshot, for its whole life. */
    private readonly snapshot: string | null = null,
  ) {}

  async open(): Promise<{ source: Db; target: Db }> {
    this.source ??= await openSourceAsOf(this.connectSource, this.snapshot);
    this.target ??= await prepareSession(await this.connectTarget());
    return { source: this.source, target: this.target };
  }

  async discard(): Promise<void> {
    const [source, target] = [this.source, this.target];
    this.source = null;
    this.target = null;
    await Promise.all([source?.close().catch(() => undefined), target?.close().catch(() => undefined)]);
  }
}
