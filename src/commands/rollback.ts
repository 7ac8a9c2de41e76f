import { withDb } from '../db';
import { loadExecutablePlan, rollbackSteps, type RollbackResult, type RollbackTarget } from '../execute';
import { storageUndo, unfinishedTransferUndo, type StorageEndpoint } from '../execute/storage';
import type { Spec } from '../spec/types';
import { layoutOf, requireUrl } from './project';

export type { RollbackResult };

/** `supamigrate rollback`: the recorded downs, newest first, back to the target checkpoint. */
export async function rollbackProject(
  spec: Spec,
  target: RollbackTarget,
  opts: { target?: string; onStep?: (id: string) => void; storage?: StorageEndpoint } = {},
): Promise<RollbackResult> {
  const url = requireUrl(opts.target, spec, 'target');
  const unfinished = unfinishedTransferUndo({
    spec,
    endpoint: opts.storage,
    steps: () => loadExecutablePlan(spec.dir, layoutOf(spec)),
  });
  return withDb(
    url,
    (db) => rollbackSteps(db, target, opts.onStep, storageUndo({ spec, endpoint: opts.storage }), unfinished),
    'target',
  );
}
