import type { Table } from '../../introspect/snapshot';
import { ident } from '../../sql';

const STORAGE: Record<string, string> = { p: 'plain', e: 'external', m: 'main', x: 'extended' };

/**
 * What a table keeps besides its columns, as ALTER statements after its CREATE: storage
 * parameters (fillfactor, autovacuum settings), and per column a STORAGE other than its type's,
 * a statistics target and attribute options such as n_distinct. Dropping the table undoes them.
 * `name` is the target's qualified table name.
 */
export function tableOptionsSql(t: Table, name: string): string {
  const out: string[] = [];
  if (t.options && t.options.length > 0) out.push(`alter table ${name} set (${t.options.join(', ')});`);
  for (const c of t.columns) {
    const column = `alter table only ${name} alter column ${ident(c.name)}`;
    if (c.storage) out.push(`${column} set storage ${STORAGE[c.storage]};`);
    if (c.statistics !== undefined) out.push(`${column} set statistics ${c.statistics};`);
    if (c.options && c.options.length > 0) out.push(`${column} set (${c.options.join(', ')});`);
  }
  return out.map((l) => `\n${l}`).join('');
}

/** The fragments evolution compares, empty for a table with none, so older plans keep their shape. */
export function tableOptionsShape(t: Table): string {
  const parts = [
    t.unlogged ? 'unlogged' : '',
    (t.options ?? []).join(','),
    ...t.columns.map((c) => {
      if (!c.storage && c.statistics === undefined && !c.options) return '';
      return `${c.name}:${c.storage ?? ''}:${c.statistics ?? ''}:${(c.options ?? []).join(',')}`;
    }),
  ].filter((p) => p !== '');
  return parts.length > 0 ? `|${parts.join('|')}` : '';
}
