import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
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
  /** Runs SQL on the source, re-introspects and re-plans (files written, not committed). */
  change(sql: string): Promise<void>;
  commit(message: string): Promise<string>;
}

export async function gitProject(seedSql: string, opts: { specExtra?: string; name?: string } = {}): Promise<GitProject> {
  const dir = mkdtempSync(join(tmpdir(), 'sm-diff-'));
  const source = `pglite://memory/sm_diff_${randomBytes(4).toString('hex')}`;
  const git = simpleGit({ baseDir: dir });
  await git.init(['-q', '-b', 'main']);
  await git.addConfig('user.email', 'test@example.com');
  await git.addConfig('user.name', 'test');
  await git.addConfig('commit.gpgsign', 'false');
  const writeSpec = (extra = opts.specExtra ?? '') =>
    writeFileSync(join(dir, 'migration.yaml'), `version: 1\nname: ${opts.name ?? 'shop'}\nsource:\n  url: ${source}\ntarget:\n  url: pglite://memory/unused\n${extra}`);
  writeSpec();
  const spec = () => loadSpec(join(dir, 'migration.yaml'), {});
  const change = async (sql: string) => {
    if (sql) await withDb(source, (db) => db.exec(sql));
    await refreshSnapshot(spec());
    planProject(spec());
  };
  await change(seedSql);
  const commit = async (message: string) => {
    await git.add(['-A']);
    await git.commit(message);
    return (await git.revparse(['HEAD'])).trim();
  };
  return { dir, git, source, spec, writeSpec, change, commit };
}
