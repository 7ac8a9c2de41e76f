import type { Db } from '../../db';
import type { TableCopy } from '../../plan/data/types';
import { ENGINE_MARK, ident, qname } from '../../sql';
import { SESSION_SETTINGS } from './session';
import { sourceExpressions } from './statements';

export interface ChunkChecksum {
  /** range keys: bucket bounds [lo, hi); other keys: first and last key of the bucket. */
  lo: string | null;
  hi: string | null;
  rows: number;
  checksum: string;
}

export interface TableChecksum {
  rows: number;
  checksum: string;
  chunks: ChunkChecksum[];
}

const MOD = 2n ** 64n;

/**
 * Order-independent checksum computed in SQL: each row's text form over the copied columns is
 * hashed (first 64 bits of md5) and the hashes summed modulo 2^64, per chunk of the key. Source
 * and target give the same buckets for the same rows, so a mismatch names the key range.
 */
export async function dataChecksums(
  db: Db,
  copy: TableCopy,
  side: 'source' | 'target',
  chunkSize: number,
): Promise<TableChecksum> {
  const view = sideView(copy, side);
  const rows = await db.transaction(async (tx) => {
    await tx.exec(SESSION_SETTINGS.map((s) => s.replace(/^set /, 'set local ')).join(';\n'));
    return (
      await tx.query<{ bucket: string; lo: string | null; hi: string | null; n: string; sum: string }>(
        `${ENGINE_MARK} ${checksumSql(view, copy, chunkSize)}`,
      )
    ).rows;
  });
  const chunks = rows.map((r) => ({ lo: r.lo, hi: r.hi, rows: Number(r.n), checksum: hex(BigInt(r.sum)) }));
  const total = rows.reduce((acc, r) => (acc + BigInt(r.sum)) % MOD, 0n);
  return { rows: chunks.reduce((n, c) => n + c.rows, 0), checksum: hex(total), chunks };
}

interface SideView {
  table: string;
  columns: string[];
  key: string[] | null;
  where: string | null;
}

function sideView(copy: TableCopy, side: 'source' | 'target'): SideView {
  if (side === 'source') {
    return {
      table: qname(copy.source.schema, copy.source.table),
      columns: sourceExpressions(copy),
      key: copy.key?.map(ident) ?? null,
      where: copy.where,
    };
  }
  const targetName = new Map(copy.columns.map((c) => [c.source, c.target]));
  const key = copy.key?.every((k) => targetName.has(k)) ? copy.key.map((k) => ident(targetName.get(k)!)) : null;
  return {
    table: qname(copy.target.schema, copy.target.table),
    columns: copy.columns.map((c) => ident(c.target)),
    key,
    where: null,
  };
}

function checksumSql(view: SideView, copy: TableCopy, chunkSize: number): string {
  const size = Math.max(1, Math.floor(chunkSize));
  const rowText = view.columns.length ? `row(${view.columns.join(', ')})::text` : "''";
  const hash = `('x' || substr(md5(${rowText}), 1, 16))::bit(64)::bigint::numeric + 9223372036854775808`;
  const where = view.where ? ` where (${view.where})` : '';
  const keyKeyed = view.key && copy.chunking === 'keyset' && view.key.length === copy.key?.length;
  const ranged = view.key && copy.chunking === 'range';
  const bucket = ranged
    ? `floor(${view.key![0]}::numeric / ${size})`
    : keyKeyed
      ? `(row_number() over (order by ${view.key!.join(', ')}) - 1) / ${size}`
      : '0';
  const keyText = view.key ? `row(${view.key.join(', ')})::text` : 'null::text';
  const bounds = ranged
    ? `(bucket * ${size})::text as lo, ((bucket + 1) * ${size})::text as hi`
    : `(array_agg(key_text order by ord))[1] as lo, (array_agg(key_text order by ord desc))[1] as hi`;
  const ord = view.key ? `row_number() over (order by ${view.key.join(', ')})` : '0';
  return `select bucket::text as bucket, ${bounds}, count(*)::text as n,
  (sum(h) % 18446744073709551616)::text as sum
from (select ${bucket} as bucket, ${hash} as h, ${keyText} as key_text, ${ord} as ord from ${view.table}${where}) as r
group by bucket order by bucket`;
}

const hex = (n: bigint) => n.toString(16).padStart(16, '0');
