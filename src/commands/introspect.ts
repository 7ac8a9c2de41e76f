import { withDb } from '../db';
import { introspect, snapshotToJson } from '../introspect';
import type { Snapshot } from '../introspect/snapshot';
import { snapshotFile } from '../render';
import type { Spec } from '../spec/types';
import { layoutOf, requireUrl, writeFiles } from './project';

export interface IntrospectResult {
  snapshot: Snapshot;
  file: string;
  written: boolean;
}

/** Reads the source into `.supamigrate/snapshot.json`. */
export async function refreshSnapshot(spec: Spec, opts: { source?: string } = {}): Promise<IntrospectResult> {
  const url = requireUrl(opts.source, spec, 'source');
  const snapshot = await withDb(
    url,
    (db) => introspect(db, { includeSchemas: spec.schema.includeSchemas, excludeSchemas: spec.schema.excludeSchemas }),
    'source',
  );
  const file = snapshotFile(layoutOf(spec));
  const written = writeFiles(spec.dir, [{ path: file, content: snapshotToJson(snapshot) }]).length > 0;
  return { snapshot, file, written };
}
