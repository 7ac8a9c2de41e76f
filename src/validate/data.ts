import type { Db } from '../db';
import { dataChecksums } from '../execute/data';
import { snapshotsByTable } from '../execute/data/checkpoints';
import { isSnapshotGone, readAsOf } from '../execute/data/snapshot';
import type { GeneratedColumn, TableCopy } from '../plan/data/types';

/**
 * Which source the target was compared with: `snapshot` is the source as of the instant the
 * copy read (its exported snapshot, still held by the apply); `now` is the source as it is,
 * which matches a correct copy only while writes to the source are stopped.
 */
export type ComparedAsOf = 'snapshot' | 'now';

export interface TableParity {
  table: string;
  sourceRows: number;
  targetRows: number;
  ok: boolean;
  /** Key ranges (`lo..hi`) whose checksums differ, so a mismatch points at the rows. */
  differingRanges: string[];
  asOf: ComparedAsOf;
  /**
   * Generated columns whose values differ: warnings, not failures. The copy leaves them out and
   * the target computes them from the current expression as it loads (as a pg_dump restore
   * does), so a source whose expression (or a function it calls) changed after the rows were
   * written keeps values the target does not reproduce.
   */
  generated: GeneratedDifference[];
}

export interface GeneratedDifference {
  column: string;
  expression: string;
  differingRanges: string[];
}

export interface CompareDataOptions {
  /** `now` skips the copy's snapshot even when it is still held. */
  asOf?: 'copy' | 'now';
}

/**
 * Data parity per table: row counts and order-independent checksums computed in SQL on both
 * sides, chunk by chunk over the same key ranges. A table whose chunks were all read in one
 * snapshot that is still held is compared with the source as of that snapshot; the others (and
 * all of them once the snapshot is gone) with the source as it is now.
 */
export async function compareData(
  source: Db,
  target: Db,
  copies: TableCopy[],
  chunkSize: number,
  o: CompareDataOptions = {},
): Promise<TableParity[]> {
  const ids = copies.map((c) => c.id);
  const recorded = o.asOf === 'now' ? new Map<string, (string | null)[]>() : await snapshotsByTable(target, ids);
  const bySnapshot = new Map<string | null, TableCopy[]>();
  for (const copy of copies) {
    const ids = recorded.get(copy.id) ?? [];
    const snapshot = ids.length === 1 ? ids[0] : null;
    bySnapshot.set(snapshot, [...(bySnapshot.get(snapshot) ?? []), copy]);
  }
  const out = new Map<string, TableParity>();
  for (const [snapshot, group] of [...bySnapshot].sort(([a], [b]) => String(a).localeCompare(String(b)))) {
    const held = snapshot !== null && (await importSnapshot(source, snapshot));
    try {
      for (const copy of group) {
        out.set(copy.id, await compareTable(held ? held : source, target, copy, chunkSize, held ? 'snapshot' : 'now'));
      }
    } finally {
      if (held) await source.exec('rollback');
    }
  }
  return copies.map((c) => out.get(c.id)!);
}

/** The source reading as of `snapshot`, or null when the transaction that exported it has ended. */
async function importSnapshot(source: Db, snapshot: string): Promise<Db | null> {
  if (source.kind !== 'pg') return null;
  try {
    return await readAsOf(source, snapshot);
  } catch (err) {
    await source.exec('rollback').catch(() => undefined);
    if (isSnapshotGone(err)) return null;
    throw err;
  }
}

async function compareTable(
  source: Db,
  target: Db,
  copy: TableCopy,
  size: number,
  asOf: ComparedAsOf,
): Promise<TableParity> {
  // Two connections to two servers: both sides at once, which halves a cutover's checksum phase.
  const [s, t] = await Promise.all([
    dataChecksums(source, copy, 'source', size),
    dataChecksums(target, copy, 'target', size),
  ]);
  const ok = s.checksum === t.checksum && s.rows === t.rows;
  const generated: GeneratedDifference[] = [];
  // Only where the copied columns match: otherwise the rows differ anyway and the table fails.
  for (const g of ok ? (copy.generated ?? []) : []) {
    const diff = await compareGenerated(source, target, copy, g, size);
    if (diff) generated.push(diff);
  }
  return {
    table: `${copy.target.schema}.${copy.target.table}`,
    sourceRows: s.rows,
    targetRows: t.rows,
    ok,
    differingRanges: s.checksum === t.checksum ? [] : differingRanges(s, t),
    asOf,
    generated,
  };
}

type Checksums = Awaited<ReturnType<typeof dataChecksums>>;

function differingRanges(s: Checksums, t: Checksums): string[] {
  const range = (c: { lo: string | null; hi: string | null }) => `${c.lo}..${c.hi}`;
  const targetChunks = new Map(t.chunks.map((c) => [range(c), c]));
  const sourceRanges = new Set(s.chunks.map(range));
  return [
    ...s.chunks.filter((c) => targetChunks.get(range(c))?.checksum !== c.checksum).map(range),
    ...t.chunks.filter((c) => !sourceRanges.has(range(c))).map(range),
  ];
}

/** One generated column checksummed alone on both sides, over the same key ranges as the rows. */
async function compareGenerated(
  source: Db,
  target: Db,
  copy: TableCopy,
  g: GeneratedColumn,
  size: number,
): Promise<GeneratedDifference | null> {
  // The key columns come along: the target side finds its key ranges through them.
  const keys = copy.columns.filter((c) => copy.key?.includes(c.source));
  const only: TableCopy = { ...copy, columns: [...keys, { source: g.source, target: g.target, cast: null }] };
  const [s, t] = await Promise.all([
    dataChecksums(source, only, 'source', size),
    dataChecksums(target, only, 'target', size),
  ]);
  if (s.checksum === t.checksum) return null;
  return { column: g.target, expression: g.expression, differingRanges: differingRanges(s, t) };
}
