import type { Db } from '../db';
import { ident, qname } from '../sql';
import type { ArrayLengthSample, Table } from './snapshot';

/** Rows read per column: enough to see whether lengths vary, cheap on any table. */
export const SAMPLE_ROWS = 1000;
const FLOAT_ELEMENTS = new Set([
  '_float4',
  '_float8',
  '_numeric',
  'real',
  'double precision',
  'numeric',
  'float4',
  'float8',
]);

const isCandidate = (c: Table['columns'][number]) =>
  (c.isArray && (FLOAT_ELEMENTS.has(c.typeName) || FLOAT_ELEMENTS.has(c.typeName.replace(/^_/, '')))) ||
  (!c.isArray && c.typeName === 'jsonb');

/**
 * Embeddings kept without pgvector show as float arrays (or jsonb arrays of numbers) whose length
 * never changes. Per candidate column, the distinct lengths in the first SAMPLE_ROWS non-null
 * rows (at most 5, sorted); jsonb columns count only when they hold arrays of numbers.
 */
export async function sampleArrayLengths(db: Db, tables: Table[]): Promise<ArrayLengthSample[]> {
  const candidates = tables
    .filter((x) => x.kind === 'r')
    .flatMap((t) => t.columns.filter(isCandidate).map((c) => ({ t, c })));
  // Queued together: the server samples the next column while this one's answer is read.
  const samples = await Promise.all(
    candidates.map(async ({ t, c }) => {
      const col = ident(c.name);
      const length = c.isArray
        ? `pg_catalog.cardinality(${col})`
        : `case when pg_catalog.jsonb_typeof(${col}) = 'array' and pg_catalog.jsonb_typeof(${col} -> 0) = 'number' then pg_catalog.jsonb_array_length(${col}) end`;
      const r = await db.query<{ n: number | null }>(
        `select distinct s.n from (select ${length} as n from ${qname(t.schema, t.name)} where ${col} is not null limit ${SAMPLE_ROWS}) as s
          where s.n is not null order by s.n limit 5`,
      );
      return { column: `${t.schema}.${t.name}.${c.name}`, lengths: r.rows.map((x) => Number(x.n)) };
    }),
  );
  return samples
    .filter((s) => s.lengths.length > 0)
    .sort((a, b) => (a.column < b.column ? -1 : a.column > b.column ? 1 : 0));
}
