import type { Snapshot } from '../../introspect/snapshot';
import { SEVERITY_RANK, sortBy } from '../order';
import type { AnalyzeOptions, Relationships, Risk } from '../types';
import { vectorFunctionRisks, vectorTargetRisks } from './vectors';
import {
  columnTypeRisks,
  cycleRisks,
  largeTableRisks,
  primaryKeyRisks,
  rlsWithoutPolicyRisks,
  serialRisks,
} from './catalog';
import {
  customRoleRisks,
  extensionRisks,
  reservedSchemaRisks,
  securityDefinerRisks,
  untrustedFunctionRisks,
  usersTableRisks,
} from './platform';

/** Every risk, most severe first, then by code and object. */
export function assessRisks(snapshot: Snapshot, relationships: Relationships, options: AnalyzeOptions = {}): Risk[] {
  const risks = [
    ...primaryKeyRisks(snapshot),
    ...largeTableRisks(snapshot),
    ...columnTypeRisks(snapshot),
    ...serialRisks(snapshot),
    ...rlsWithoutPolicyRisks(snapshot),
    ...cycleRisks(relationships),
    ...extensionRisks(snapshot),
    ...untrustedFunctionRisks(snapshot),
    ...securityDefinerRisks(snapshot),
    ...reservedSchemaRisks(snapshot),
    ...usersTableRisks(snapshot),
    ...customRoleRisks(snapshot),
    ...vectorFunctionRisks(snapshot),
    ...vectorTargetRisks(snapshot, options),
  ];
  return sortBy(
    risks,
    (r) => SEVERITY_RANK[r.severity],
    (r) => r.code,
    (r) => r.object,
  );
}
