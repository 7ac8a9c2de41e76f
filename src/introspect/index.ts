import type { Db } from '../db';
import { SNAPSHOT_FORMAT, type Snapshot } from './snapshot';
import { readSchemas, type SchemaFilter } from './schemas';
import { readExtensions } from './extensions';
import { readComposites, readDomains, readEnums } from './user-types';
import { columnNames, readAttributes } from './columns';
import { readSequences } from './sequences';
import { readConstraints } from './constraints';
import { readIndexes } from './indexes';
import { readRelationGrants } from './grants';
import { readTables } from './tables';
import { readViews } from './views';
import { readViewFacts } from './view-catalog';
import { readRoutines } from './routines';
import { readTriggers } from './triggers';
import { readPolicies, readStoragePolicies } from './policies';
import { readRoles, referencedRoles } from './roles';
import { readRoleGrants } from './role-grants';
import { sortedUnique } from './catalog';
import { sampleArrayLengths } from './array-lengths';
import { readDependencies } from './dependencies';
import { readCollations } from './collations';
import { readRanges } from './ranges';
import { readTextSearchConfigs, readTextSearchDictionaries } from './text-search';
import { readSupabaseTables, readSupabaseTriggers } from './supabase-native';
import { readMoreKinds } from './more-kinds';

export { snapshotToJson, snapshotFromJson } from './json';
export { schemaSelected, PLATFORM_SCHEMAS, type SchemaFilter } from './schemas';
export * from './snapshot';

/**
 * Reads the catalog into a Snapshot with one query per kind of object, joined in memory.
 * It runs in one read-only repeatable-read transaction, so every query sees the same catalog,
 * with an empty search_path, so every name Postgres prints is schema-qualified.
 */
export async function introspect(db: Db, filter: SchemaFilter = {}): Promise<Snapshot> {
  return db.transaction(async (tx) => {
    await tx.query('set transaction isolation level repeatable read, read only');
    // JIT compiling these short catalog queries costs more than running them.
    await tx.query(`select pg_catalog.set_config('search_path', '', true), pg_catalog.set_config('jit', 'off', true)`);
    return readSnapshot(tx, filter);
  });
}

/**
 * The same, for a caller already inside a transaction (a dry run, a validation step): the
 * settings are changed for the duration of the read and then put back as they were.
 */
export async function introspectInTransaction(tx: Db, filter: SchemaFilter = {}): Promise<Snapshot> {
  const saved = await tx.query<{ path: string; jit: string }>(
    `select pg_catalog.current_setting('search_path') as path, pg_catalog.current_setting('jit') as jit`,
  );
  await tx.query(`select pg_catalog.set_config('search_path', '', true), pg_catalog.set_config('jit', 'off', true)`);
  try {
    return await readSnapshot(tx, filter);
  } finally {
    const { path, jit } = saved.rows[0];
    await tx.query(`select pg_catalog.set_config('search_path', $1, true), pg_catalog.set_config('jit', $2, true)`, [
      path,
      jit,
    ]);
  }
}

async function readSnapshot(db: Db, filter: SchemaFilter): Promise<Snapshot> {
  const { schemas, scope } = await readSchemas(db, filter);
  const version = await db.query<{ v: number }>(
    `select pg_catalog.current_setting('server_version_num')::int / 10000 as v`,
  );
  const attributes = await readAttributes(scope);
  const { sequences, identities } = await readSequences(scope);
  const names = columnNames(attributes);
  const indexes = await readIndexes(scope, names);
  const grants = await readRelationGrants(scope);
  const constraints = await readConstraints(scope, names);
  const withoutRoles = {
    formatVersion: SNAPSHOT_FORMAT,
    serverVersion: version.rows[0].v,
    schemas,
    extensions: await readExtensions(db),
    enums: await readEnums(scope),
    domains: await readDomains(scope),
    composites: await readComposites(scope, attributes),
    sequences,
    tables: await readTables(scope, { attributes, identities, constraints, indexes, grants }),
    views: await readViews(scope, { attributes, indexes, grants, facts: await readViewFacts(scope) }),
    functions: await readRoutines(scope),
    triggers: await readTriggers(scope),
    policies: await readPolicies(scope),
  };
  const arrayLengths = await sampleArrayLengths(db, withoutRoles.tables);
  const storagePolicies = await readStoragePolicies(db);
  const dependencies = await readDependencies(scope);
  const collations = await readCollations(scope);
  const textSearchDictionaries = await readTextSearchDictionaries(scope);
  const textSearchConfigs = await readTextSearchConfigs(scope);
  const ranges = await readRanges(scope);
  const appSchemas = schemas.map((s) => s.name);
  const supabaseTables = await readSupabaseTables(db, appSchemas);
  const supabaseTriggers = await readSupabaseTriggers(db, appSchemas);
  const more = await readMoreKinds(scope);
  const { own: roleGrants, api: apiGrants } = await readRoleGrants(scope);
  return {
    ...withoutRoles,
    roles: await readRoles(db, sortedUnique([...referencedRoles(withoutRoles), ...roleGrants.map((g) => g.grantee)])),
    ...(roleGrants.length > 0 ? { roleGrants } : {}),
    ...(apiGrants.length > 0 ? { apiGrants } : {}),
    ...(arrayLengths.length > 0 ? { arrayLengths } : {}),
    ...(dependencies.length > 0 ? { dependencies } : {}),
    ...(collations.length > 0 ? { collations } : {}),
    ...(textSearchDictionaries.length > 0 ? { textSearchDictionaries } : {}),
    ...(textSearchConfigs.length > 0 ? { textSearchConfigs } : {}),
    ...(ranges.length > 0 ? { ranges } : {}),
    ...more,
    ...(storagePolicies.length > 0 ? { storagePolicies } : {}),
    ...(supabaseTables.length > 0 ? { supabaseTables } : {}),
    ...(supabaseTriggers.length > 0 ? { supabaseTriggers } : {}),
  };
}
