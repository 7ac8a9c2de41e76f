import type { Db } from '../../db/types';
import type { TableCopy } from '../../plan/data/types';
import { qname } from '../../sql';
import type { ExecutableStep } from '../executable';

/**
 * Right after a bulk load the planner has no statistics for the new rows and picks plans for
 * empty tables (the source, long analysed, does not): ANALYZE each loaded table once its data is in.
 */
export async function analyzeLoaded(db: Db, steps: ExecutableStep[]): Promise<string[]> {
  const tables = new Set<string>();
  for (const s of steps.filter((x) => x.kind === 'data')) {
    const copy = JSON.parse(s.sql) as TableCopy;
    tables.add(qname(copy.target.schema, copy.target.table));
  }
  const sorted = [...tables].sort();
  for (const t of sorted) await db.exec(`analyze ${t}`);
  return sorted;
}
