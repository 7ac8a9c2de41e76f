import type { Snapshot } from '../introspect/snapshot';
import { UserError } from '../errors';
import { groupDigits } from './format';
import type { Estimate } from './types';

const MIB = 1024 ** 2;
export const COPY_BYTES_PER_SECOND = 100 * MIB;
export const INDEX_BYTES_PER_SECOND = 100 * MIB;
export const DDL_OBJECTS_PER_SECOND = 1000;
// Measured by bench/estimate on a 2-core machine next to its server (pgbench scale 10: 1 M rows,
// 128 MB in 1.5-3 s); a target across a network is slower: pass the throughput measured there.
export const DEFAULT_ROWS_PER_SECOND = 500_000;
/** What every apply pays whatever the size: connections, the lock, phase checks, checkpoints. */
export const FIXED_SECONDS = 1;

/** Parts to a tenth of a second: rounding each up to a whole second tripled small estimates. */
const tenth = (seconds: number): number => Math.round(seconds * 10) / 10;

function ddlObjectCount(snapshot: Snapshot): number {
  const perTable = snapshot.tables.reduce((n, t) => n + 1 + t.constraints.length + t.indexes.length, 0);
  return (
    perTable +
    snapshot.views.length +
    snapshot.functions.length +
    snapshot.triggers.length +
    snapshot.sequences.length +
    snapshot.enums.length +
    snapshot.domains.length +
    snapshot.composites.length +
    snapshot.policies.length +
    snapshot.extensions.length +
    snapshot.schemas.length
  );
}

/**
 * A first-order duration: DDL at a fixed rate, COPY bound by whichever of bytes or rows is
 * slower, and secondary indexes rebuilt by reading their table once each.
 */
export function estimateDuration(snapshot: Snapshot, rowsPerSecond = DEFAULT_ROWS_PER_SECOND): Estimate {
  if (!(rowsPerSecond > 0) || !Number.isFinite(rowsPerSecond)) {
    throw new UserError(
      `rows per second must be a positive number, not ${rowsPerSecond}`,
      'pass the COPY throughput measured on your network, e.g. 100000',
    );
  }
  const objects = ddlObjectCount(snapshot);
  const bytes = snapshot.tables.reduce((n, t) => n + Math.max(0, t.sizeBytes), 0);
  const rows = snapshot.tables.reduce((n, t) => n + Math.max(0, t.estimatedRows), 0);
  const indexedBytes = snapshot.tables.reduce(
    (n, t) => n + Math.max(0, t.sizeBytes) * t.indexes.filter((i) => !i.primary).length,
    0,
  );
  const ddlSeconds = tenth(objects / DDL_OBJECTS_PER_SECOND);
  const copySeconds = tenth(Math.max(bytes / COPY_BYTES_PER_SECOND, rows / rowsPerSecond));
  const indexSeconds = tenth(indexedBytes / INDEX_BYTES_PER_SECOND);
  return {
    seconds: Math.round(FIXED_SECONDS + ddlSeconds + copySeconds + indexSeconds),
    breakdown: { ddlSeconds, copySeconds, indexSeconds },
    assumptions: [
      `DDL: 1 s per ${groupDigits(DDL_OBJECTS_PER_SECOND)} objects (${groupDigits(objects)} objects)`,
      `COPY: 100 MiB/s or ${groupDigits(rowsPerSecond)} rows/s, whichever is slower (${groupDigits(bytes)} bytes, ${groupDigits(rows)} rows)`,
      'indexes: each secondary index reads its table once at 100 MiB/s after the load',
      'one table at a time; parallel copies shorten the COPY part on a target with spare cores',
      `${FIXED_SECONDS} s for what every apply does (connections, lock, phase checks), on a network close to the server`,
    ],
  };
}
