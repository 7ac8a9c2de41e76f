import { createHash } from 'node:crypto';
import type { GeneratedFile } from '../plan/types';
import type { Layout } from './layout';

/**
 * The plan lock: what a plan was made from (spec text, snapshot text, engine version) and the
 * sha256 of every file it generated. Committed next to the plan, it lets `apply` prove that the
 * files it runs are the files that were reviewed.
 */
export interface PlanLock {
  formatVersion: 1;
  engineVersion: string;
  spec: LockedFile;
  snapshot: LockedFile;
  /** Every generated file except the lock itself and user-owned ones, sorted by path. */
  files: LockedFile[];
  /** Files written once and then the user's (hand-ported handlers): never hashed, only the contract they answer. */
  userOwned?: { path: string; contract: string | null }[];
  /** Migration versions and the evolutions, kept by every later plan (absent on older locks). */
  history?: PlanHistory;
}

/**
 * The versioned history, like atlas.sum: the versions of the plan's files, the project's own
 * migrations that come before them, and the evolutions in order, each from one plan revision to
 * the next. A linear history has each evolution start where the one before it ended.
 */
export interface PlanHistory {
  versions: Record<string, string>;
  /** Versions of the project's own migration files that are older than ours (known, accepted). */
  foreign: string[];
  evolutions: EvolutionEntry[];
}

export interface EvolutionEntry {
  version: string;
  file: string;
  /** Plan revisions (planRevision) the evolution moves a database from and to. */
  from: string;
  to: string;
}

export interface LockedFile {
  path: string;
  sha256: string;
}

export function lockFile(layout: Layout): string {
  return `${layout.stateDir}/plan.lock.json`;
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A plan revision: a short hash of its steps (id and checksum, in plan order). */
export function planRevision(steps: { id: string; checksum: string }[]): string {
  return sha256(steps.map((s) => `${s.id}:${s.checksum}`).join('\n')).slice(0, 12);
}

/** Pure: the same inputs give the same bytes. */
export function renderLock(
  layout: Layout,
  inputs: { engineVersion: string; spec: { path: string; text: string }; snapshot: { path: string; text: string } },
  files: GeneratedFile[],
  history?: PlanHistory,
): GeneratedFile & { lock: PlanLock } {
  const lock: PlanLock = {
    formatVersion: 1,
    engineVersion: inputs.engineVersion,
    spec: { path: inputs.spec.path, sha256: sha256(inputs.spec.text) },
    snapshot: { path: inputs.snapshot.path, sha256: sha256(inputs.snapshot.text) },
    files: files
      .filter((f) => f.owner !== 'user')
      .map((f) => ({ path: f.path, sha256: sha256(f.content) }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    ...(history ? { history } : {}),
  };
  const owned = files
    .filter((f) => f.owner === 'user')
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (owned.length > 0) lock.userOwned = owned.map((f) => ({ path: f.path, contract: f.contract ?? null }));
  return { path: lockFile(layout), content: `${JSON.stringify(lock, null, 2)}\n`, lock };
}

/** Reads a lock file's text; null when it is not a lock this engine understands. */
export function parseLock(text: string): PlanLock | null {
  try {
    const value = JSON.parse(text) as PlanLock;
    if (value?.formatVersion !== 1 || !Array.isArray(value.files) || !value.spec || !value.snapshot) return null;
    return value;
  } catch {
    return null;
  }
}

export interface LockMismatch {
  path: string;
  why: 'edited' | 'missing' | 'changed since the plan';
}

/**
 * Compares a lock with what is on disk now (`read` returns a file's text or null). Generated
 * files that differ were edited by hand; a spec or snapshot that differs makes the plan stale.
 */
export function lockMismatches(lock: PlanLock, read: (path: string) => string | null): LockMismatch[] {
  const out: LockMismatch[] = [];
  for (const input of [lock.spec, lock.snapshot]) {
    const text = read(input.path);
    if (text === null) out.push({ path: input.path, why: 'missing' });
    else if (sha256(text) !== input.sha256) out.push({ path: input.path, why: 'changed since the plan' });
  }
  for (const f of lock.files) {
    const text = read(f.path);
    if (text === null) out.push({ path: f.path, why: 'missing' });
    else if (sha256(text) !== f.sha256) out.push({ path: f.path, why: 'edited' });
  }
  return out;
}
