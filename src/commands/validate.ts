import { withDb } from '../db';
import { loadExecutablePlan } from '../execute';
import { introspect } from '../introspect';
import type { Spec } from '../spec/types';
import { compareData, compareSchemas } from '../validate';
import { securityMatrix, type SecurityMatrix } from '../validate/security';
import { lintDatabase } from '../validate/lints';
import { roleOnTarget, securityContext } from '../plan/security';
import { withoutPlannedSecurity } from '../validate/security-diff';
import { withPlannedVectors, withoutPlannedVectors } from '../validate/vectors-diff';
import { vectorCheck } from './validate-vectors';
import { layoutOf, readSnapshot, requireUrl } from './project';
import { rewrittenColumns } from '../plan/storage';
import { validateStorage } from '../validate/storage';
import { performanceCheck } from './validate-performance';
import { writeReport } from './validate-report';
import type { ReportInput } from '../validate/report/html';
import { exposedSchemas } from '../spec/exposed';

/** validate's result: what it found (the report's input) and where it wrote the report. */
export interface ValidateResult extends ReportInput {
  /** The HTML report validate wrote, relative to the spec's folder. */
  report?: string;
}

export interface ValidateOptions {
  source?: string;
  target?: string;
  /** Which checks to run; both when neither is asked for. */
  schema?: boolean;
  data?: boolean;
  security?: boolean;
  storage?: boolean;
  vectors?: boolean;
  performance?: boolean;
  /** Where the HTML report goes (default <state>/report/index.html); written with --performance or when asked. */
  report?: string | false;
  onProgress?: (done: number, total: number, name?: string) => void;
}

/** Compares source and target as the plan maps one onto the other: schema, then data. */
export async function validateProject(spec: Spec, opts: ValidateOptions = {}): Promise<ValidateResult> {
  const sourceUrl = requireUrl(opts.source, spec, 'source');
  const targetUrl = requireUrl(opts.target, spec, 'target');
  const all = !opts.schema && !opts.data && !opts.security && !opts.storage && !opts.vectors && !opts.performance;
  let schema: ValidateResult['schema'] = null;
  let data: ValidateResult['data'] = null;
  if (all || opts.schema) {
    const filter = { includeSchemas: spec.schema.includeSchemas, excludeSchemas: spec.schema.excludeSchemas };
    const source = await withDb(sourceUrl, (db) => introspect(db, filter), 'source');
    const target = await withDb(targetUrl, (db) => introspect(db), 'target');
    const differences = withoutPlannedSecurity(
      compareSchemas(withPlannedVectors(source, spec), target, spec.schema, (role) =>
        roleOnTarget(spec.security.roles, role),
      ),
      source,
      spec,
    );
    schema = { differences: withoutPlannedVectors(differences, source, spec) };
  }
  const rewritten = rewrittenColumns(spec);
  if (all || opts.data) {
    const copies = loadExecutablePlan(spec.dir, layoutOf(spec))
      .flatMap((s) => (s.type === 'table-copy' ? [s.copy] : []))
      // Columns the storage transfer rewrote to object keys differ from the source on purpose.
      .map((c) => ({
        ...c,
        columns: c.columns.filter((col) => !rewritten.has(`${c.target.schema}.${c.target.table}.${col.target}`)),
      }));
    const chunk = spec.data.chunkRows;
    const tables = await withDb(
      sourceUrl,
      (src) => withDb(targetUrl, (tgt) => compareData(src, tgt, copies, chunk), 'target'),
      'source',
    );
    data = { tables };
  }
  const security = all || opts.security ? await securityCheck(spec, sourceUrl, targetUrl) : undefined;
  const storage = opts.storage ? await withDb(targetUrl, (db) => validateStorage(db, spec), 'target') : undefined;
  const vectors = await vectorCheck(spec, sourceUrl, targetUrl, opts.vectors === true, all);
  const performance = opts.performance
    ? await performanceCheck(spec, sourceUrl, targetUrl, opts.onProgress)
    : undefined;
  const ok =
    (schema?.differences.length ?? 0) === 0 &&
    (data?.tables.every((t) => t.ok) ?? true) &&
    (security?.ok ?? true) &&
    (storage?.ok ?? true) &&
    (vectors?.ok ?? true) &&
    (performance?.ok ?? true);
  const result: ValidateResult = {
    ok,
    schema,
    data,
    ...(security ? { security } : {}),
    ...(storage ? { storage } : {}),
    ...(vectors ? { vectors } : {}),
    ...(performance ? { performance } : {}),
  };
  const wantReport = opts.report !== false && (opts.report !== undefined || opts.performance === true);
  return wantReport ? { ...result, report: writeReport(spec, result, opts.report || undefined) } : result;
}

/** The access matrix on the target, with the advisor lints told apart from those the source had already. */
async function securityCheck(spec: Spec, sourceUrl: string, targetUrl: string): Promise<SecurityMatrix> {
  const snapshot = readSnapshot(spec);
  const ctx = securityContext(snapshot, spec);
  const exposed = new Set(exposedSchemas(spec));
  const sourceExposed = snapshot.schemas.map((s) => s.name).filter((s) => exposed.has(ctx.schemaOf(s)));
  const sourceLints = await withDb(
    sourceUrl,
    (db) => lintDatabase(db, sourceExposed.length > 0 ? sourceExposed : ['public'], { tolerant: true }),
    'source',
  );
  return withDb(targetUrl, (db) => securityMatrix(db, snapshot, spec, sourceLints), 'target');
}
