import type { TableCopy } from '../../plan/data/types';
import type { ExecutableStep } from '../executable';

const NAME = '"(?:[^"]|"")*"|[^\\s."(]+';
const QUALIFIED = `(${NAME})\\.(${NAME})`;
const CONSTRAINT = new RegExp(`^\\s*alter\\s+table\\s+(?:only\\s+)?${QUALIFIED}\\s+add\\s+constraint\\s`, 'i');
const INDEX = new RegExp(
  `^\\s*create\\s+(?:unique\\s+)?index\\s+(?:${NAME})\\s+on\\s+(?:only\\s+)?${QUALIFIED}\\s+using\\s`,
  'i',
);

const unquote = (name: string) => (name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name);

/** The table (`schema.table`) a key, constraint or index step builds on, or null when unsure. */
export function tableOfStep(sql: string): string | null {
  const m = CONSTRAINT.exec(sql) ?? INDEX.exec(sql);
  return m ? `${unquote(m[1])}.${unquote(m[2])}` : null;
}

/**
 * Each loaded table's keys and indexes, by the copy's id: they can be built as soon as that
 * table is in, while the others still load (as pgcopydb does). A step whose table is not one
 * the copy loads (a partitioned parent, say) is left to the post-data phase.
 */
export function followersByCopy(copies: TableCopy[], steps: ExecutableStep[]): Map<string, ExecutableStep[]> {
  const byTable = new Map<string, ExecutableStep[]>();
  for (const s of steps) {
    const table = tableOfStep(s.body);
    if (table) byTable.set(table, [...(byTable.get(table) ?? []), s]);
  }
  const out = new Map<string, ExecutableStep[]>();
  for (const c of copies) {
    const mine = byTable.get(`${c.target.schema}.${c.target.table}`);
    if (mine) out.set(c.id, mine);
  }
  return out;
}
