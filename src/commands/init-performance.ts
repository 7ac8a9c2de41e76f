import type { Snapshot } from '../introspect/snapshot';
import { withDb } from '../db';
import { securityContext } from '../plan/security';
import { parseSpec } from '../spec';
import { performanceProposal } from '../validate/performance/proposal';
import { readOnlyOnSource } from '../validate/performance/source-guard';
import { topStatements } from '../validate/performance/statements';

const PROPOSED_TOP = 10;

/**
 * Appends init's `performance:` proposal to the spec text: the Data API queries follow the
 * security section just proposed (read back offline, no variable needed), the top statements come
 * from the source's pg_stat_statements, read in a read-only transaction.
 */
export async function withPerformanceProposal(
  yaml: string,
  specFile: string,
  snapshot: Snapshot,
  sourceUrl: string,
): Promise<string> {
  const top = await withDb(
    sourceUrl,
    (db) => readOnlyOnSource(db, 10000, () => topStatements(db, PROPOSED_TOP)),
    'source',
  );
  const spec = parseSpec(yaml, specFile, process.env, { connections: 'offline' });
  const lines = performanceProposal(top, snapshot, securityContext(snapshot, spec));
  return `${yaml}${lines.join('\n')}\n`;
}
