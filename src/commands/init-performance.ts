import type { Snapshot } from '../introspect/snapshot';
import type { Db } from '../db/types';
import { securityContext } from '../plan/security';
import { parseSpec } from '../spec';
import { performanceProposal } from '../validate/performance/proposal';
import { readOnlyOnSource } from '../validate/performance/source-guard';
import { topStatements, type TopStatement } from '../validate/performance/statements';

const PROPOSED_TOP = 10;

/**
 * The source's top read-only statements from its pg_stat_statements, read in a read-only
 * transaction on the connection init already has open.
 */
export function readTopStatements(db: Db): Promise<TopStatement[]> {
  return readOnlyOnSource(db, 10000, () => topStatements(db, PROPOSED_TOP));
}

/**
 * Appends init's `performance:` proposal to the spec text: the Data API queries follow the
 * security section just proposed (read back offline, no variable needed), the top statements are
 * the source's (`readTopStatements`).
 */
export function withPerformanceProposal(
  yaml: string,
  specFile: string,
  snapshot: Snapshot,
  top: TopStatement[],
): string {
  const spec = parseSpec(yaml, specFile, process.env, { connections: 'offline' });
  const lines = performanceProposal(top, snapshot, securityContext(snapshot, spec));
  return `${yaml}${lines.join('\n')}\n`;
}
