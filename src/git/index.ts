import { realpathSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import type { SimpleGit, SimpleGitOptions } from 'simple-git';
import { UserError } from '../errors';

/**
 * The few git reads `plan --diff` needs, at the edge: which repository a folder is in, what a
 * ref names, and a file's text at a commit. Every failure a person can fix is a UserError.
 */
export interface GitTree {
  /** Repository root, absolute. */
  root: string;
  /** The commit the ref resolved to. */
  commit: string;
  /** A file's text at that commit (path relative to the root, forward slashes), or null. */
  read(path: string): Promise<string | null>;
  /** Paths of the files under a folder at that commit. */
  list(folder: string): Promise<string[]>;
  /** Path relative to the repository root, forward slashes. */
  pathOf(absolute: string): string;
}

/** simple-git, loaded on first use: only `plan --diff` reads git, and loading it slows every start. */
function simpleGit(options: Partial<SimpleGitOptions>): SimpleGit {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('simple-git') as { simpleGit: (o: Partial<SimpleGitOptions>) => SimpleGit }).simpleGit(options);
}

export async function repositoryRoot(dir: string): Promise<{ root: string; git: SimpleGit }> {
  const git = simpleGit({ baseDir: dir });
  let root: string;
  try {
    root = (await git.revparse(['--show-toplevel'])).trim();
  } catch {
    throw new UserError(
      `${dir} is not inside a git repository`,
      'run plan --diff from a clone of the repository that holds migration.yaml',
    );
  }
  return { root, git: simpleGit({ baseDir: root }) };
}

/** Opens the tree of `ref` in the repository holding dir. */
export async function treeAt(dir: string, ref: string): Promise<GitTree> {
  const { root, git } = await repositoryRoot(dir);
  if (!(await resolves(git, 'HEAD'))) {
    throw new UserError(
      `the repository at ${root} has no commits yet, so there is no base to diff against`,
      'commit migration.yaml and the generated files first (git add . && git commit), then run plan --diff <ref>',
    );
  }
  if (ref.startsWith('-'))
    throw new UserError(`\`${ref}\` is not a git ref`, 'pass a branch, tag or commit, e.g. plan --diff origin/main');
  const commit = await resolves(git, `${ref}^{commit}`);
  if (!commit) {
    throw new UserError(
      `unknown git ref \`${ref}\`: no branch, tag or commit of that name in ${root}`,
      'check the spelling or fetch it first (git fetch origin <branch>); in GitHub Actions check out with ' +
        '`fetch-depth: 0`',
    );
  }
  return {
    root,
    commit,
    read: async (path) => {
      try {
        return await git.show([`${commit}:${path}`]);
      } catch {
        return null;
      }
    },
    list: async (folder) => {
      const out = await git.raw(['ls-tree', '-r', '--name-only', '-z', commit, '--', folder]);
      return out
        .split('\0')
        .filter((p) => p !== '')
        .sort();
    },
    pathOf: (absolute) =>
      relative(root, realpathSync(resolve(absolute)))
        .split(sep)
        .join('/'),
  };
}

async function resolves(git: SimpleGit, ref: string): Promise<string | null> {
  try {
    const sha = (await git.raw(['rev-parse', '--verify', '--quiet', '--end-of-options', ref])).trim();
    return sha || null;
  } catch {
    return null;
  }
}

/** Fetches one commit from origin when it is missing (a shallow CI checkout); best effort. */
export async function fetchIfMissing(dir: string, ref: string): Promise<void> {
  const { git } = await repositoryRoot(dir);
  if (await resolves(git, `${ref}^{commit}`)) return;
  try {
    await git.raw(['fetch', '--no-tags', '--depth=1', 'origin', ref]);
  } catch {
    // treeAt names the ref as unknown, with the fix.
  }
}
