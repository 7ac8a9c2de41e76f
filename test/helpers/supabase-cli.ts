import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';
import { servePglite } from '../plan/types/reference';
import { ROOT } from './sources';

/** Supabase's own CLI, pinned as a dev dependency: the tool users push migrations with. */
export const SUPABASE_CLI = join(ROOT, 'node_modules/.bin/supabase');

function pushArgs(url: string): string[] {
  const withSsl = `${url}${url.includes('?') ? '&' : '?'}sslmode=disable`;
  return ['db', 'push', '--db-url', withSsl, '--yes'];
}

/** `supabase db push` of the project in cwd (its supabase/migrations) into the database at url. */
export function dbPush(url: string, cwd: string, timeout = 300_000): SpawnSyncReturns<string> {
  return spawnSync(SUPABASE_CLI, pushArgs(url), { cwd, encoding: 'utf8', timeout });
}

/**
 * The same, without blocking this process: needed when the database is a PGlite served from this
 * process over its wire protocol. Resolves with stdout and stderr together.
 */
export function dbPushAsync(url: string, cwd: string, timeout = 300_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(SUPABASE_CLI, pushArgs(url), { cwd, timeout });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c));
    child.stderr.on('data', (c: Buffer) => (output += c));
    child.on('error', reject);
    child.on('close', () => resolve(output));
  });
}

/** `supabase db push` into a named in-memory PGlite, served over its wire protocol for the push. */
export async function dbPushIntoPglite(pgliteUrl: string, cwd: string): Promise<string> {
  const served = await servePglite(pgliteUrl);
  try {
    return await dbPushAsync(served.url, cwd);
  } finally {
    await served.stop();
  }
}
