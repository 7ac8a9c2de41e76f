import { openDb } from '../db';
import { type DataWorkerResult, runDataWorker } from '../execute/data/pool-worker';
import type { Spec } from '../spec/types';
import { requireUrl } from './project';

export interface DataWorkerCommandOptions {
  source?: string;
  target?: string;
  waitSeconds: number;
  onChunk?: (c: { table: string; chunk: number; rows: number }) => void;
  signal?: AbortSignal;
}

/** `apply --data-worker`: joins the data phase a leader (`apply --share-data`) offers on the target. */
export function dataWorkerProject(spec: Spec, o: DataWorkerCommandOptions): Promise<DataWorkerResult> {
  const source = requireUrl(o.source, spec, 'source');
  const target = requireUrl(o.target, spec, 'target');
  return runDataWorker({
    connectSource: () => openDb(source, 'source'),
    connectTarget: () => openDb(target),
    waitSeconds: o.waitSeconds,
    statementTimeoutSeconds: spec.options.timeoutSeconds,
    onChunk: o.onChunk,
    signal: o.signal,
  });
}
