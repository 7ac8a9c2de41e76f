import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap } from '../../src/bootstrap';
import { withDb } from '../../src/db';
import { REAL_SCHEMAS_DIR } from './real-schemas';
import { ROOT } from './sources';

/** The real schemas on plain Postgres (no Supabase at the source). */
export const PLAIN_REAL = ['codetriage', 'sanbase', 'synapse', 'temporal', 'danbooru', 'apflora', 'postgrest'];
/** The Supabase migration sets among the real schemas. */
export const SUPABASE_REAL = ['subpay', 'basejump', 'makerkit', 'dbdev'];

const FIXTURES = join(ROOT, 'test/fixtures');
/**
 * Own fixtures that are whole applications, as SQL loaded by psql. multitenant's rows are left
 * out (its DDL only, up to its first insert): the seed generator writes the rows.
 */
export const OWN_APPS: Record<string, () => string> = {
  exotic: () => readFileSync(join(FIXTURES, 'exotic.sql'), 'utf8'),
  'every-kind': () => readFileSync(join(FIXTURES, 'every-kind.sql'), 'utf8'),
  multitenant: () => readFileSync(join(FIXTURES, 'multitenant.sql'), 'utf8').split(/^insert into/m)[0],
  conduit: () => readFileSync(join(FIXTURES, 'conduit/schema.sql'), 'utf8'),
  fastapi: () => readFileSync(join(FIXTURES, 'fastapi/schema.sql'), 'utf8'),
  'types-unseen': () => readFileSync(join(FIXTURES, 'types-unseen.sql'), 'utf8'),
};

/** A plain set into an empty database: a real schema without the Supabase scaffold, or an own fixture. */
export function loadPlainSet(name: string, url: string, dir: string): void {
  if (!(name in OWN_APPS)) {
    execFileSync('bash', [join(REAL_SCHEMAS_DIR, 'load.sh'), name, url], { stdio: 'ignore', env: { ...process.env, SCAFFOLD: '0' } });
    return;
  }
  const file = join(dir, 'source.sql');
  writeFileSync(file, OWN_APPS[name]());
  execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', file], { stdio: 'ignore' });
  rmSync(file);
}

/** A Supabase set into an empty database made a Supabase project first (default privileges, scaffold). */
export async function loadSupabaseSet(name: string, url: string): Promise<void> {
  await withDb(url, (db) => bootstrap(db));
  execFileSync('bash', [join(REAL_SCHEMAS_DIR, 'load.sh'), name, url], { stdio: 'ignore', env: { ...process.env, SCAFFOLD: '1' } });
}
