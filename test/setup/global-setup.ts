import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePgliteImage } from '../../src/db/pglite-db';

/**
 * Runs once per jest run, before the workers start: writes one PGlite data directory that every
 * test file (and every CLI the tests spawn) starts its in-memory databases from, instead of
 * running initdb once per file. Workers inherit the environment variable.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.SUPAMIGRATE_PGLITE_IMAGE) return;
  const dir = mkdtempSync(join(tmpdir(), 'supamigrate-pglite-'));
  const file = join(dir, 'image.tar');
  await writePgliteImage(file);
  process.env.SUPAMIGRATE_PGLITE_IMAGE = file;
  process.env.SUPAMIGRATE_PGLITE_IMAGE_OWNED = dir;
}
