import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withDb } from '../../src/db';

export const ROOT = join(__dirname, '../..');
export const EXAMPLE_DIR = join(ROOT, 'migrations.example/toolboxai');
export const CHINOOK_SQL = join(ROOT, '../shared/fixtures/chinook/chinook.sql');

/** The source databases the round trips run on, as SQL files loaded in order. */
export const SOURCES: Record<string, string[]> = {
  toolboxai: [join(EXAMPLE_DIR, 'source/schema.sql'), join(EXAMPLE_DIR, 'source/seed.sql')],
  chinook: [CHINOOK_SQL],
  exotic: [join(ROOT, 'test/fixtures/exotic.sql')],
};

export async function loadSource(url: string, name: string): Promise<void> {
  await withDb(url, async (db) => {
    for (const file of SOURCES[name]) await db.exec(readFileSync(file, 'utf8'));
  });
}
