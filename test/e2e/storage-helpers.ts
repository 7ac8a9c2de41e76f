import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refreshSnapshot } from '../../src/commands/introspect';
import { planProject } from '../../src/commands/plan';
import { bootstrapTarget } from '../../src/commands/bootstrap';
import { openDb, withDb, type Db } from '../../src/db';
import { loadSpec } from '../../src/spec';
import type { Spec } from '../../src/spec/types';
import { writeExampleUploads, type UploadsSummary } from '../../src/storage-server/example-uploads';
import { serviceRoleKey } from '../../src/storage-server/jwt';
import { startStandin, type Standin, type StandinOptions } from '../../src/storage-server/server';
import { freshDatabase, type FreshDatabase, type TargetKind } from '../helpers/databases';
import { EXAMPLE_DIR } from '../helpers/sources';

export const JWT_SECRET = 'test-secret-with-at-least-32-characters!!';

/** The example's storage section over the three tables of storage-source.sql. */
const SPEC_HEAD = `version: 1
name: files
`;

export interface StorageExample {
  dir: string;
  env: Record<string, string>;
  spec: Spec;
  source: FreshDatabase;
  target: FreshDatabase;
  uploads: UploadsSummary;
  standin: Standin;
  standinDb: Db;
  close(): Promise<void>;
}

/**
 * The example with its storage section: source loaded, uploads generated, planned, target
 * bootstrapped, and a stand-in Storage server on the target. Nothing applied yet.
 */
export async function storageExample(
  kind: TargetKind, onStored?: (bucket: string, key: string) => void, fault?: StandinOptions['fault'],
): Promise<StorageExample> {
  const source = await freshDatabase(kind, 'stsrc');
  const target = await freshDatabase(kind, 'sttgt');
  await withDb(source.url, (db) => db.exec(readFileSync(join(__dirname, 'storage-source.sql'), 'utf8')));
  const dir = mkdtempSync(join(tmpdir(), 'sm-storage-'));
  writeFileSync(join(dir, 'migration.yaml'), `${SPEC_HEAD}\n${readFileSync(join(EXAMPLE_DIR, 'storage.yaml'), 'utf8')}`);
  const uploads = await withDb(source.url, (db) => writeExampleUploads(db, dir));
  await bootstrapTarget(target.url);
  const standinDb = await openDb(target.url);
  const standin = await startStandin({ db: standinDb, root: join(dir, '.standin'), jwtSecret: JWT_SECRET, onStored, fault });
  const env = {
    SOURCE_DATABASE_URL: source.url,
    SUPABASE_DB_URL: target.url,
    SUPABASE_URL: standin.url,
    SUPABASE_SERVICE_ROLE_KEY: serviceRoleKey(JWT_SECRET),
  };
  const spec = loadSpec(join(dir, 'migration.yaml'), env);
  await refreshSnapshot(spec);
  planProject(spec);
  return {
    dir, env, spec, source, target, uploads, standin, standinDb,
    close: async () => {
      await standin.close();
      await standinDb.close();
      await source.drop();
      await target.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
