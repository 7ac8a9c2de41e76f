import type { VectorValidation } from '../../validate/vectors';

/** The vector checks as text: one line per column, then its advice. */
export function vectorLines(r: VectorValidation): string[] {
  if (r.columns.length === 0) return ['vectors: no vector columns in the plan'];
  return r.columns.flatMap((c) => {
    const recall = c.recall
      ? `; recall@${c.recall.k} ${c.recall.recall.toFixed(3)} over ${c.recall.queries} queries with ${c.recall.setting}${c.recall.indexUsed ? ' (index scan)' : ' (index NOT used)'}`
      : c.index
        ? ''
        : '; no index (exact scans)';
    const head = `vectors: ${c.column} ${c.ok ? 'ok' : 'FAILED'}: ${c.rows} rows, ${c.nulls} null, ${c.wrongDimensions} not ${c.dimensions}-dimensional${recall}`;
    return [head, ...c.advice.map((a) => `  ${a}`)];
  });
}
