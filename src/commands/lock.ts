import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UserError } from '../errors';
import type { GeneratedFile } from '../plan/types';
import { lockFile, lockMismatches, parseLock, type PlanHistory, renderLock, snapshotFile } from '../render';
import type { Spec } from '../spec/types';
import { ENGINE_VERSION } from '../version';
import { layoutOf } from './project';

const readIn =
  (dir: string) =>
  (path: string): string | null => {
    const full = join(dir, path);
    return existsSync(full) ? readFileSync(full, 'utf8') : null;
  };

/** The lock file for freshly planned files: hashes of the spec and snapshot as they are on disk. */
export function planLockFor(spec: Spec, files: GeneratedFile[], history?: PlanHistory): GeneratedFile {
  const layout = layoutOf(spec);
  const snapshotPath = snapshotFile(layout);
  const { path, content } = renderLock(
    layout,
    {
      engineVersion: ENGINE_VERSION,
      spec: { path: basename(spec.file), text: readFileSync(spec.file, 'utf8') },
      snapshot: { path: snapshotPath, text: readIn(spec.dir)(snapshotPath) ?? '' },
    },
    files,
    history,
  );
  return { path, content };
}

/**
 * Refuses to go on when the committed plan is not the one its lock describes: a generated file
 * edited by hand, a spec or snapshot changed after planning, or another engine version.
 */
export function verifyPlanLock(spec: Spec): void {
  const layout = layoutOf(spec);
  const path = lockFile(layout);
  const text = readIn(spec.dir)(path);
  const fix = 'run `supamigrate plan` and commit the result, then apply again';
  if (text === null)
    throw new UserError(
      `no plan lock: ${path} does not exist, so the plan cannot be proved to be the reviewed one`,
      fix,
    );
  const lock = parseLock(text);
  if (!lock) throw new UserError(`${path} is not a plan lock this supamigrate understands`, fix);
  if (lock.engineVersion !== ENGINE_VERSION) {
    throw new UserError(`the plan was made by supamigrate ${lock.engineVersion}, this is ${ENGINE_VERSION}`, fix);
  }
  // The spec is locked under its own name, whatever --spec said.
  const specName = basename(spec.file);
  const mismatches = lockMismatches({ ...lock, spec: { ...lock.spec, path: specName } }, readIn(spec.dir));
  if (mismatches.length === 0) return;
  const lines = mismatches.map((m) => `  ${m.path}: ${m.why}`);
  throw new UserError(
    `the plan does not match its lock ${path}; apply refuses files that were not reviewed:\n${lines.join('\n')}`,
    fix,
  );
}
