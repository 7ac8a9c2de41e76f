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
import { sortedUnique, type CatalogScope } from './catalog';
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

/**
 * The queries are all queued at once (a query that needs another's rows is queued when they
 * arrive), so the server runs the next one while this process turns the previous one's rows
 * into objects; the driver still sends them one at a time, in the same transaction.
 */
async function readSnapshot(db: Db, filter: SchemaFilter): Promise<Snapshot> {
  const { schemas, scope } = await readSchemas(db, filter);
  const appSchemas = schemas.map((s) => s.name);
  const [relations, other, routines, kinds] = await Promise.all([
    readRelations(scope),
    readOtherKinds(scope, appSchemas),
    Promise.all([readRoutines(scope), readTriggers(scope), readPolicies(scope)]),
    readMoreKinds(scope),
  ]);
  const [functions, triggers, policies] = routines;
  const withoutRoles = {
    formatVersion: SNAPSHOT_FORMAT,
    serverVersion: other.serverVersion,
    schemas,
    extensions: other.extensions,
    enums: other.enums,
    domains: other.domains,
    composites: relations.composites,
    sequences: relations.sequences,
    tables: relations.tables,
    views: relations.views,
    functions,
    triggers,
    policies,
  };
  const [arrayLengths, roles] = await Promise.all([
    sampleArrayLengths(db, withoutRoles.tables),
    readRoles(db, sortedUnique([...referencedRoles(withoutRoles), ...other.roleGrants.own.map((g) => g.grantee)])),
  ]);
  return { ...withoutRoles, roles, ...optionalKinds(other, kinds, arrayLengths) };
}

/** Tables, views, sequences and composite types, from the attribute, index, constraint and grant reads they share. */
async function readRelations(scope: CatalogScope) {
  const [attributes, { sequences, identities }, grants, facts] = await Promise.all([
    readAttributes(scope),
    readSequences(scope),
    readRelationGrants(scope),
    readViewFacts(scope),
  ]);
  const names = columnNames(attributes);
  const [indexes, constraints, composites] = await Promise.all([
    readIndexes(scope, names),
    readConstraints(scope, names),
    readComposites(scope, attributes),
  ]);
  const [tables, views] = await Promise.all([
    readTables(scope, { attributes, identities, constraints, indexes, grants }),
    readViews(scope, { attributes, indexes, grants, facts }),
  ]);
  return { sequences, composites, tables, views };
}

async function readOtherKinds(scope: CatalogScope, appSchemas: string[]) {
  const { db } = scope;
  const [version, extensions, enums, domains, storagePolicies, dependencies, collations] = await Promise.all([
    db.query<{ v: number }>(`select pg_catalog.current_setting('server_version_num')::int / 10000 as v`),
    readExtensions(db),
    readEnums(scope),
    readDomains(scope),
    readStoragePolicies(db),
    readDependencies(scope),
    readCollations(scope),
  ]);
  const [textSearchDictionaries, textSearchConfigs, ranges, supabaseTables, supabaseTriggers, roleGrants] =
    await Promise.all([
      readTextSearchDictionaries(scope),
      readTextSearchConfigs(scope),
      readRanges(scope),
      readSupabaseTables(db, appSchemas),
      readSupabaseTriggers(db, appSchemas),
      readRoleGrants(scope),
    ]);
  return {
    serverVersion: version.rows[0].v,
    ...{ extensions, enums, domains, storagePolicies, dependencies, collations, textSearchDictionaries },
    ...{ textSearchConfigs, ranges, supabaseTables, supabaseTriggers, roleGrants },
  };
}

/** The kinds a snapshot holds only when the source has some, in the order the snapshot has always listed them. */
function optionalKinds(
  other: Awaited<ReturnType<typeof readOtherKinds>>,
  more: Awaited<ReturnType<typeof readMoreKinds>>,
  arrayLengths: Awaited<ReturnType<typeof sampleArrayLengths>>,
) {
  const { roleGrants, dependencies, collations, textSearchDictionaries, textSearchConfigs, ranges } = other;
  const { storagePolicies, supabaseTables, supabaseTriggers } = other;
  return {
    ...(roleGrants.own.length > 0 ? { roleGrants: roleGrants.own } : {}),
    ...(roleGrants.api.length > 0 ? { apiGrants: roleGrants.api } : {}),
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
