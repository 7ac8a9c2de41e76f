import type { Db } from '../../db';
import { qname } from '../../sql';
import { GEOMETRY_CHUNK } from '../data/checkpoints';
import type { ExecutableStep } from '../executable';

/** A loaded table whose rows on the target differ from the rows its chunks recorded. */
export interface RowCountMismatch {
  table: string;
  expected: number;
  actual: number;
}

/**
 * After the data phase: each table the phase loaded holds exactly the rows its chunk
 * checkpoints recorded (written in the same transaction as the rows, so a resumed load counts
 * its earlier chunks too). The geometry row records a chunk width, not rows: left out.
 */
export async function rowCountMismatches(db: Db, ran: ExecutableStep[]): Promise<RowCountMismatch[]> {
  const copies = ran.flatMap((s) => (s.type === 'table-copy' ? [s.copy] : []));
  if (copies.length === 0) return [];
  const recorded = await recordedRows(
    db,
    copies.map((c) => c.id),
  );
  const out: RowCountMismatch[] = [];
  for (const c of copies) {
    const table = qname(c.target.schema, c.target.table);
    // ONLY: a load writes into the table itself, never into tables that inherit from it.
    const r = await db.query<{ n: string }>(`select count(*)::text as n from only ${table}`);
    const actual = Number(r.rows[0].n);
    const expected = recorded.get(c.id) ?? 0;
    if (actual !== expected) out.push({ table: `${c.target.schema}.${c.target.table}`, expected, actual });
  }
  return out;
}

async function recordedRows(db: Db, ids: string[]): Promise<Map<string, number>> {
  const exists = await db.query<{ t: string | null }>("select to_regclass('supamigrate.data_chunks')::text as t");
  if (!exists.rows[0]?.t) return new Map();
  const r = await db.query<{ id: string; n: string }>(
    `select table_id as id, sum(rows)::text as n from supamigrate.data_chunks
      where table_id = any($1) and chunk_no <> $2 group by table_id`,
    [ids, GEOMETRY_CHUNK],
  );
  return new Map(r.rows.map((x) => [x.id, Number(x.n)]));
}

export function describeMismatch(m: RowCountMismatch): string {
  return `table ${m.table} holds ${m.actual} rows, its chunks recorded ${m.expected} copied`;
}
