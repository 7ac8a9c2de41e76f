import type { Db } from '../../db/types';
import { qname } from '../../sql';
import type { ExecutableStep } from '../executable';

/**
 * Right after a bulk load the planner has no statistics for the new rows and picks plans for
 * empty tables (the source, long analysed, does not): ANALYZE each loaded table once its data is in.
 */
export async function analyzeLoaded(db: Db, steps: ExecutableStep[]): Promise<string[]> {
  const tables = new Set<string>();
  for (const s of steps) if (s.type === 'table-copy') tables.add(qname(s.copy.target.schema, s.copy.target.table));
  const sorted = [...tables].sort();
  for (const t of sorted) await db.exec(`analyze ${t}`);
  return sorted;
}
