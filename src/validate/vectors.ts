import type { Db } from '../db';
import { indexName, vectorText, wrongLength, type VectorColumn } from '../plan/vectors';
import { ident, qname } from '../sql';
import type { VectorDistance, WrongLength } from '../spec/types';

/** recall@10 the migrated index must reach with default settings. */
export const RECALL_TARGET = 0.95;
const OPERATOR: Record<VectorDistance, string> = { cosine: '<=>', l2: '<->', inner_product: '<#>' };
/** ef_search values tried, in order, when the default misses the target. */
const EF_SEARCH_STEPS = [40, 80, 160, 320, 640];
const PROBES_STEPS = [1, 2, 4, 8, 16, 32, 64];

export interface RecallReport {
  k: number;
  queries: number;
  /** Mean share of the exact top-k (brute force on the source) the index returned, 0..1. */
  recall: number;
  /** The query setting it was measured with, e.g. `hnsw.ef_search = 40`. */
  setting: string;
  /** The EXPLAIN plan read the vector index (not a sequential scan and sort). */
  indexUsed: boolean;
  /** When the default misses the target: the smallest setting tried that reaches it. */
  reachedWith: { setting: string; recall: number } | null;
}

export interface VectorColumnReport {
  /** `schema.table.column` on the target. */
  column: string;
  dimensions: number;
  rows: number;
  nulls: number;
  /** Target rows whose vector does not have the declared dimensions (must be 0). */
  wrongDimensions: number;
  /** Source rows of another length, and what the spec did with them. */
  sourceWrongLength: number;
  onWrongLength: WrongLength;
  index: { name: string; method: string } | null;
  recall: RecallReport | null;
  ok: boolean;
  advice: string[];
}

export interface VectorValidation {
  ok: boolean;
  columns: VectorColumnReport[];
}

export interface VectorValidationOptions {
  k?: number;
  queries?: number;
}

/**
 * Checks every converted column: the target holds vectors of the declared dimensions for the
 * rows the source had, and the index finds the true nearest neighbours. For a deterministic
 * sample of the source's own vectors (evenly spaced in key order) the exact top-k is computed by
 * brute force on the source arrays and compared with what the target's index returns.
 */
export async function validateVectors(
  source: Db,
  target: Db,
  columns: VectorColumn[],
  opts: VectorValidationOptions = {},
): Promise<VectorValidation> {
  const reports: VectorColumnReport[] = [];
  for (const v of columns) reports.push(await columnReport(source, target, v, opts.k ?? 10, opts.queries ?? 20));
  return { ok: reports.every((r) => r.ok), columns: reports };
}

async function columnReport(
  source: Db,
  target: Db,
  v: VectorColumn,
  k: number,
  queries: number,
): Promise<VectorColumnReport> {
  const table = qname(v.targetSchema, v.table.name);
  const col = ident(v.column.name);
  const counts = (
    await target.query<{ rows: string; nulls: string; wrong: string }>(
      `select count(*)::text as rows, count(*) filter (where ${col} is null)::text as nulls,
            count(*) filter (where extensions.vector_dims(${col}) <> ${v.settings.dimensions})::text as wrong
       from ${table}`,
    )
  ).rows[0];
  const bad = wrongLength(v);
  const sourceWrong =
    bad === null
      ? 0
      : Number(
          (
            await source.query<{ n: string }>(
              `select count(*)::text as n from ${qname(v.table.schema, v.table.name)} where ${bad}`,
            )
          ).rows[0].n,
        );
  const index = v.settings.index.method === 'none' ? null : { name: indexName(v), method: v.settings.index.method };
  const recall =
    index && v.table.constraints.some((c) => c.kind === 'p')
      ? await measureRecall(source, target, v, k, queries)
      : null;
  const advice: string[] = [];
  const wrongDimensions = Number(counts.wrong);
  if (wrongDimensions > 0)
    advice.push(
      `${wrongDimensions} rows have other than ${v.settings.dimensions} dimensions: the column is not typed ${v.settings.type}(${v.settings.dimensions})`,
    );
  if (sourceWrong > 0)
    advice.push(
      `${sourceWrong} source rows have another length (on_wrong_length: ${v.settings.onWrongLength}${v.settings.onWrongLength === 'skip' ? ', not loaded' : v.settings.onWrongLength === 'null' ? ', loaded as null' : ''})`,
    );
  if (recall && recall.recall < RECALL_TARGET) advice.push(recallAdvice(v, recall));
  const ok = wrongDimensions === 0 && (recall === null || recall.recall >= RECALL_TARGET);
  return {
    column: `${v.targetSchema}.${v.table.name}.${v.column.name}`,
    dimensions: v.settings.dimensions,
    rows: Number(counts.rows),
    nulls: Number(counts.nulls),
    wrongDimensions,
    sourceWrongLength: sourceWrong,
    onWrongLength: v.settings.onWrongLength,
    index,
    recall,
    ok,
    advice,
  };
}

function recallAdvice(v: VectorColumn, r: RecallReport): string {
  const got = `recall@${r.k} ${r.recall.toFixed(3)} with ${r.setting} is below ${RECALL_TARGET}`;
  const setting = v.settings.index.method === 'hnsw' ? 'hnsw.ef_search' : 'ivfflat.probes';
  if (r.reachedWith)
    return `${got}: raise ${setting} (${r.reachedWith.setting} gives ${r.reachedWith.recall.toFixed(3)}), e.g. \`alter role authenticated set ${r.reachedWith.setting}\``;
  return `${got}, and raising ${setting} did not reach it: rebuild the index with larger ${v.settings.index.method === 'hnsw' ? 'm / ef_construction' : 'lists'}`;
}

interface Query {
  key: string[];
  vector: string;
}

async function measureRecall(source: Db, target: Db, v: VectorColumn, k: number, count: number): Promise<RecallReport> {
  const sample = await sampleQueries(source, v, count);
  const exact = [];
  for (const q of sample) exact.push(await exactTopK(source, v, q, k));
  const method = v.settings.index.method as 'hnsw' | 'ivfflat';
  const steps = method === 'hnsw' ? EF_SEARCH_STEPS : PROBES_STEPS;
  const name = method === 'hnsw' ? 'hnsw.ef_search' : 'ivfflat.probes';
  const first = await indexRecall(target, v, sample, exact, k, null);
  const report: RecallReport = {
    k,
    queries: sample.length,
    recall: first.recall,
    setting: `${name} = ${first.current}`,
    indexUsed: first.indexUsed,
    reachedWith: null,
  };
  if (first.recall >= RECALL_TARGET) return report;
  for (const value of steps.filter((s) => s > Number(first.current))) {
    const again = await indexRecall(target, v, sample, exact, k, `${name} = ${value}`);
    if (again.recall >= RECALL_TARGET)
      return { ...report, reachedWith: { setting: `${name} = ${value}`, recall: again.recall } };
  }
  return report;
}

const keyColumns = (v: VectorColumn) => v.table.constraints.find((c) => c.kind === 'p')!.columns;
const keyText = (v: VectorColumn) => `row(${keyColumns(v).map(ident).join(', ')})::text`;

/** Evenly spaced rows in key order: the same queries on every run. */
async function sampleQueries(source: Db, v: VectorColumn, count: number): Promise<Query[]> {
  const table = qname(v.table.schema, v.table.name);
  const text = vectorText(v) ?? `(${ident(v.column.name)})::text`;
  const bad = wrongLength(v);
  const where = `${ident(v.column.name)} is not null${bad ? ` and not (${bad})` : ''}`;
  const r = await source.query<{ key: string; vector: string }>(
    `select key, vector from (
       select ${keyText(v)} as key, ${text} as vector, row_number() over (order by ${keyColumns(v).map(ident).join(', ')}) - 1 as i,
              count(*) over () as n
         from ${table} where ${where}) as s
      where n <= ${count} or i % greatest(n / ${count}, 1) = 0 and i / greatest(n / ${count}, 1) < ${count}
      order by i`,
  );
  return r.rows.map((row) => ({ key: [row.key], vector: row.vector }));
}

/** The distance between the row's array `x` and the query `y` over `unnest(x, y)`, in float8. */
function distanceSql(distance: VectorDistance): string {
  if (distance === 'cosine') return '1 - sum(x * y) / nullif(sqrt(sum(x * x)) * sqrt(sum(y * y)), 0)';
  if (distance === 'l2') return 'sqrt(sum((x - y) * (x - y)))';
  return '-sum(x * y)';
}

/** The row's value as float8[] on the source, whatever it is stored as. */
function sourceArray(v: VectorColumn): string {
  const col = ident(v.column.name);
  if (v.storage === 'jsonb')
    return `(select array_agg(e.value::float8 order by e.ordinality) from jsonb_array_elements_text(${col}) with ordinality as e(value, ordinality))`;
  if (v.storage === 'pgvector') return `((${col})::text::float8[])`;
  return `((${col})::real[]::float8[])`;
}

/**
 * Brute force on the source: every row's distance to the query, the k nearest (ties by key), the query row itself
 * left out.
 */
async function exactTopK(source: Db, v: VectorColumn, q: Query, k: number): Promise<string[]> {
  const table = qname(v.table.schema, v.table.name);
  const bad = wrongLength(v);
  const where = `${ident(v.column.name)} is not null${bad ? ` and not (${bad})` : ''}`;
  // Inside the scalar subquery the column names the outer row: unnest only brings x and y.
  const r = await source.query<{ key: string }>(
    `select key from (
       select ${keyText(v)} as key, (select ${distanceSql(v.settings.distance)} from unnest(${sourceArray(v)}, $1::float8[]) as u(x, y)) as d
         from ${table} where ${where}) as s
      where key <> $2 order by d, key limit ${k}`,
    [`{${q.vector.slice(1, -1)}}`, q.key[0]],
  );
  return r.rows.map((row) => row.key);
}

/** Runs every query through the target's index (sequential scans off) and scores it against the exact answer. */
async function indexRecall(
  target: Db,
  v: VectorColumn,
  sample: Query[],
  exact: string[][],
  k: number,
  setting: string | null,
) {
  const table = qname(v.targetSchema, v.table.name);
  const col = ident(v.column.name);
  const type = `extensions.${v.settings.type}(${v.settings.dimensions})`;
  const guc = v.settings.index.method === 'hnsw' ? 'hnsw.ef_search' : 'ivfflat.probes';
  return target.transaction(async (tx) => {
    // The planner would pick an exact scan on a small table; the index is what is being measured.
    await tx.exec('set local enable_seqscan = off');
    if (setting) await tx.exec(`set local ${setting}`);
    const dist = `${col} operator(extensions.${OPERATOR[v.settings.distance]}) $1::${type}`;
    const sql = `select ${keyText(v)} as key from ${table} order by ${dist} limit ${k + 1}`;
    const plan =
      sample.length === 0 ? [] : (await tx.query<Record<string, string>>(`explain ${sql}`, [sample[0].vector])).rows;
    const indexUsed = plan.some((row) => Object.values(row).some((line) => String(line).includes(indexName(v))));
    const current =
      (await tx.query<{ v: string | null }>(`select current_setting($1, true) as v`, [guc])).rows[0].v ??
      (guc === 'hnsw.ef_search' ? '40' : '1');
    let found = 0;
    for (let i = 0; i < sample.length; i++) {
      const got = (await tx.query<{ key: string }>(sql, [sample[i].vector])).rows
        .map((row) => row.key)
        .filter((key) => key !== sample[i].key[0])
        .slice(0, k);
      const truth = new Set(exact[i]);
      found += got.filter((key) => truth.has(key)).length / Math.max(1, Math.min(k, exact[i].length));
    }
    return { recall: sample.length === 0 ? 1 : found / sample.length, indexUsed, current };
  });
}
