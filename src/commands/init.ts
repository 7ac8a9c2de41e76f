import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { analyze } from '../analyze';
import type { Analysis } from '../analyze/types';
import { withDb } from '../db';
import { UserError } from '../errors';
import { renderInitSpec } from '../init';
import { introspect, snapshotToJson } from '../introspect';
import { readRealtimeTables } from '../introspect/publication';
import { readForeignReserved } from '../introspect/reserved';
import { selectedSchemaNames } from '../introspect/schemas';
import { readTopStatements, withPerformanceProposal } from './init-performance';
import { writeFiles } from './project';

export interface InitResult {
  specFile: string;
  snapshotFile: string;
  analysis: Analysis;
}

/**
 * Introspects the source and writes a commented migration.yaml and the snapshot. The spec
 * refers to the source through ${SOURCE_DATABASE_URL}, so no password lands in the repository.
 */
export async function initProject(opts: {
  source: string;
  dir: string;
  name?: string;
  force?: boolean;
}): Promise<InitResult> {
  const dir = resolve(opts.dir);
  const specFile = join(dir, 'migration.yaml');
  if (existsSync(specFile) && !opts.force) {
    throw new UserError(
      `${specFile} already exists`,
      'edit it, run `supamigrate introspect` to refresh the snapshot, or pass --force to overwrite',
    );
  }
  const { snapshot, renames, realtime, top } = await withDb(
    opts.source,
    async (db) => {
      // A schema named like one Supabase reserves but holding the application's objects is
      // carried under a new name; the spec proposes it and plan rewrites every reference. It is
      // found before introspecting, so the catalog is read once.
      const taken = await selectedSchemaNames(db);
      const foreign = await readForeignReserved(db, taken);
      const filter = foreign.length === 0 ? {} : { includeSchemas: [...taken, ...foreign.map((f) => f.schema)] };
      return {
        snapshot: await introspect(db, filter),
        renames: Object.fromEntries(foreign.map((f) => [f.schema, f.proposed])),
        realtime: await readRealtimeTables(db),
        // For the performance proposal: on this connection rather than a second one.
        top: await readTopStatements(db),
      };
    },
    'source',
  );
  const analysis = analyze(snapshot);
  const name =
    opts.name ??
    (basename(dir)
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .replace(/^[^a-z]+/, '') ||
      'app');
  const sourceUrlExpr = opts.source.startsWith('pglite://') ? opts.source : '${SOURCE_DATABASE_URL}';
  const yaml = renderInitSpec(snapshot, analysis, {
    name,
    sourceUrlExpr,
    targetUrlExpr: '${SUPABASE_DB_URL}',
    renameSchemas: renames,
    realtimeTables: realtime,
  });
  const proposed = withPerformanceProposal(yaml, specFile, snapshot, top);
  writeFiles(dir, [
    { path: 'migration.yaml', content: proposed },
    { path: '.supamigrate/snapshot.json', content: snapshotToJson(snapshot) },
  ]);
  return { specFile, snapshotFile: join(dir, '.supamigrate/snapshot.json'), analysis };
}
