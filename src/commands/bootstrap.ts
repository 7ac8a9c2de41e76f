import { bootstrap } from '../bootstrap';
import { withDb } from '../db';

/** `supamigrate bootstrap`: a plain Postgres shaped like a Supabase database, for local work. */
export async function bootstrapTarget(url: string) {
  return withDb(url, (db) => bootstrap(db), 'target');
}
