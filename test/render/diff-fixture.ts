import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { refreshSnapshot } from '../../src/commands/introspect';
import { planProject } from '../../src/commands/plan';
import { withDb } from '../../src/db';
import { loadSpec } from '../../src/spec';
import type { Spec } from '../../src/spec/types';

/**
 * A real git repository in a temp folder holding a small project whose source is an embedded
 * database seeded here: commit a plan, change the source or the spec, plan again.
 */
export interface GitProject {
  dir: string;
  git: SimpleGit;
  source: string;
  spec(): Spec;
  writeSpec(extra?: string): void;
  specText(extra?: string): string;
  /** Runs SQL on the source, re-introspects and re-plans (files written, not committed). */
  change(sql: string): Promise<void>;
  commit(message: string): Promise<string>;
}

/** A new repository holding a copy of a project's working files, nothing committed. */
export async function copyProject(from: GitProject): Promise<GitProject> {
  const dir = mkdtempSync(join(tmpdir(), 'sm-diff-'));
  cpSync(from.dir, dir, { recursive: true, filter: (src) => !src.includes('/.git') });
  return repository(dir, from.source, from.specText);
}

async function repository(dir: string, source: string, specText: (extra?: string) => string): Promise<GitProject> {
  const writeSpec = (extra?: string) => writeFileSync(join(dir, 'migration.yaml'), specText(extra));
  const git = simpleGit({ baseDir: dir });
  await git.init(['-q', '-b', 'main']);
  await git.addConfig('user.email', 'test@example.com');
  await git.addConfig('user.name', 'test');
  await git.addConfig('commit.gpgsign', 'false');
  const spec = () => loadSpec(join(dir, 'migration.yaml'), {});
  const change = async (sql: string) => {
    if (sql) await withDb(source, (db) => db.exec(sql));
    await refreshSnapshot(spec());
    planProject(spec());
  };
  const commit = async (message: string) => {
    await git.add(['-A']);
    await git.commit(message);
    return (await git.revparse(['HEAD'])).trim();
  };
  return { dir, git, source, spec, writeSpec, specText, change, commit };
}

export async function gitProject(seedSql: string, opts: { specExtra?: string; name?: string; source?: string } = {}): Promise<GitProject> {
  const dir = mkdtempSync(join(tmpdir(), 'sm-diff-'));
  const source = opts.source ?? `pglite://memory/sm_diff_${randomBytes(4).toString('hex')}`;
  const specText = (extra = opts.specExtra ?? '') =>
    `version: 1\nname: ${opts.name ?? 'shop'}\nsource:\n  url: ${source}\ntarget:\n  url: \${SUPABASE_DB_URL:-pglite://memory/unused}\n${extra}`;
  const project = await repository(dir, source, specText);
  project.writeSpec();
  await project.change(seedSql);
  return project;
}
