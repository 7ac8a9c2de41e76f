import type { Db } from '../db';
import { dataChecksums } from '../execute/data';
import type { TableCopy } from '../plan/data/types';

export interface TableParity {
  table: string;
  sourceRows: number;
  targetRows: number;
  ok: boolean;
  /** Key ranges (`lo..hi`) whose checksums differ, so a mismatch points at the rows. */
  differingRanges: string[];
}

/**
 * Data parity per table: row counts and order-independent checksums computed in SQL on both
 * sides, chunk by chunk over the same key ranges.
 */
export async function compareData(source: Db, target: Db, copies: TableCopy[], chunkSize: number): Promise<TableParity[]> {
  const out: TableParity[] = [];
  for (const copy of copies) {
    const [s, t] = [await dataChecksums(source, copy, 'source', chunkSize), await dataChecksums(target, copy, 'target', chunkSize)];
    const targetChunks = new Map(t.chunks.map((c) => [`${c.lo}..${c.hi}`, c]));
    const sourceRanges = new Set(s.chunks.map((c) => `${c.lo}..${c.hi}`));
    const differing = [
      ...s.chunks.filter((c) => targetChunks.get(`${c.lo}..${c.hi}`)?.checksum !== c.checksum).map((c) => `${c.lo}..${c.hi}`),
      ...t.chunks.filter((c) => !sourceRanges.has(`${c.lo}..${c.hi}`)).map((c) => `${c.lo}..${c.hi}`),
    ];
    out.push({
      table: `${copy.target.schema}.${copy.target.table}`,
      sourceRows: s.rows,
      targetRows: t.rows,
      ok: s.checksum === t.checksum && s.rows === t.rows,
      differingRanges: s.checksum === t.checksum ? [] : differing,
    });
  }
  return out;
}
