import type { Snapshot } from '../../introspect/snapshot';
import { sortBy } from '../order';
import type { Pattern } from '../types';
import { detectAuditTimestamps } from './audit-timestamps';
import { detectColumnFlags } from './column-flags';
import { columnReferences, compositeKeyColumns, type PatternContext } from './context';
import { detectEmbeddings } from './embedding';
import { detectEnums } from './enum';
import { detectFilePaths } from './file-path';
import { detectMemberships } from './membership';
import { detectOwners } from './owner';
import { detectTenants } from './tenant';
import { detectUsersTables } from './users-table';

const DETECTORS = [
  detectTenants,
  detectOwners,
  detectMemberships,
  detectColumnFlags,
  detectAuditTimestamps,
  detectEmbeddings,
  detectFilePaths,
  detectEnums,
];

export function detectPatterns(snapshot: Snapshot): Pattern[] {
  const usersPatterns = detectUsersTables(snapshot);
  const ctx: PatternContext = {
    snapshot,
    references: columnReferences(snapshot),
    compositeKeyColumns: compositeKeyColumns(snapshot),
    usersTables: new Set(['auth.users', ...usersPatterns.map((p) => p.table)]),
  };
  const patterns = [...usersPatterns, ...DETECTORS.flatMap((detect) => detect(ctx))];
  return sortBy(
    patterns,
    (p) => p.kind,
    (p) => p.table,
    (p) => p.columns.join(','),
  );
}
