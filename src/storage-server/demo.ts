import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { openDb, withDb } from '../db';
import { writeExampleUploads } from './example-uploads';
import { serviceRoleKey } from './jwt';
import { startStandin } from './server';

/**
 * The demo's Storage: the stand-in on the demo target, on a free local port, with a secret made
 * for this run only. Its URL and key reach the spec the way a real project's do, through
 * SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY, so the transfer cannot tell the difference. It
 * touches the storage tables only when asked, so it may start before the target is bootstrapped.
 */
export async function startDemoStorage(dir: string, targetUrl: string) {
  const secret = randomBytes(32).toString('hex');
  const db = await openDb(targetUrl);
  const server = await startStandin({ db, root: join(dir, '.storage-standin'), jwtSecret: secret });
  return {
    env: { SUPABASE_URL: server.url, SUPABASE_SERVICE_ROLE_KEY: serviceRoleKey(secret) },
    writeUploads: (sourceUrl: string) =>
      withDb(sourceUrl, (source) => writeExampleUploads(source, dir, { large: false })),
    stop: async () => {
      await server.close();
      await db.close();
    },
  };
}
