import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { withDb } from '../../src/db';
import { ROOT } from './sources';

export const REAL_SCHEMAS_DIR = join(ROOT, '../shared/fixtures/real-schemas');

/** Runs the fixtures' own loader (a superuser URL to an empty database). */
export function loadRealSchema(name: string, url: string): void {
  const r = spawnSync(join(REAL_SCHEMAS_DIR, 'load.sh'), [name, url], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`load.sh ${name} failed: ${r.stderr}`);
}

/**
 * Supabase lets `postgres` create the untrusted extensions of its allow-list (supautils); plain
 * Postgres does not, so the admin creates the source's untrusted extensions in `extensions` first.
 */
export async function preinstallUntrustedExtensions(source: string, target: string): Promise<void> {
  const untrusted = await withDb(source, (db) =>
    db.query<{ name: string }>(`select e.extname as name from pg_extension e
      join pg_available_extension_versions v on v.name = e.extname and v.version = e.extversion
      where not v.trusted and v.superuser and e.extname <> 'plpgsql' order by 1`),
  );
  await withDb(target, async (db) => {
    for (const { name } of untrusted.rows) await db.exec(`create extension if not exists "${name}" with schema extensions cascade`);
  });
}
