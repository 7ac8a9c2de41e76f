import { execFileSync } from 'node:child_process';
import { UserError } from '../errors';

/**
 * The committed plan a new plan evolves from, read synchronously so that `plan` stays one
 * synchronous pass. The base is `--base <ref>` or else the tip of the default branch
 * (origin/HEAD, origin/main, origin/master, main, master), else HEAD: an evolution starts where
 * the branch it will be merged into is.
 */
export interface BaseTree {
  ref: string;
  commit: string;
  /** A file's text at the base commit (path relative to the spec's folder), or null. */
  read(path: string): string | null;
}

const DEFAULT_BRANCHES = ['origin/HEAD', 'origin/main', 'origin/master', 'main', 'master', 'HEAD'];

function git(dir: string, args: string[]): string | null {
  try {
    return execFileSync('git', ['-C', dir, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch {
    return null;
  }
}

const commitOf = (dir: string, ref: string): string | null =>
  git(dir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])?.trim() || null;

/** Null when dir is not in a git repository or nothing is committed yet (a first plan). */
export function baseTree(dir: string, ref?: string): BaseTree | null {
  const prefix = git(dir, ['rev-parse', '--show-prefix']);
  if (prefix === null) {
    if (ref)
      throw new UserError(
        `--base ${ref}: ${dir} is not inside a git repository`,
        'run plan from a clone of the repository, or leave out --base',
      );
    return null;
  }
  if (ref?.startsWith('-'))
    throw new UserError(`\`${ref}\` is not a git ref`, 'pass a branch, tag or commit, e.g. plan --base origin/main');
  const candidates = ref ? [ref] : DEFAULT_BRANCHES;
  for (const name of candidates) {
    const commit = commitOf(dir, name);
    if (!commit) continue;
    const at = prefix.trim();
    return { ref: name, commit, read: (path) => git(dir, ['show', `${commit}:${at}${path}`]) };
  }
  if (ref) {
    throw new UserError(
      `unknown git ref \`${ref}\` given to --base`,
      'check the spelling or fetch it first (git fetch origin <branch>); in GitHub Actions check out with ' +
        '`fetch-depth: 0`',
    );
  }
  return null;
}
