import { withDb } from '../db';
import { introspect } from '../introspect';
import type { Spec } from '../spec/types';
import { compareSchemas, type SchemaDifference } from '../validate';
import { requireUrl } from './project';

export interface ValidateResult {
  ok: boolean;
  schema: { differences: SchemaDifference[] };
}

/** Introspects source and target and compares them as the plan maps one onto the other. */
export async function validateProject(spec: Spec, opts: { source?: string; target?: string } = {}): Promise<ValidateResult> {
  const sourceUrl = requireUrl(opts.source, spec.source.url, 'source');
  const targetUrl = requireUrl(opts.target, spec.target.url, 'target');
  const filter = { includeSchemas: spec.schema.includeSchemas, excludeSchemas: spec.schema.excludeSchemas };
  const source = await withDb(sourceUrl, (db) => introspect(db, filter), 'source');
  const target = await withDb(targetUrl, (db) => introspect(db), 'target');
  const differences = compareSchemas(source, target, spec.schema);
  return { ok: differences.length === 0, schema: { differences } };
}
