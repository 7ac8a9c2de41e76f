import { createHash } from 'node:crypto';
import { ident, qname } from '../../sql';
import type { TableState } from '../schema/state';
import type { RecordedStep, RowChange } from './types';

/** Step kinds whose id names an object other than a table, even when it contains `schema.name`. */
const NOT_TABLE_IDS = new RegExp(
  '^(function|procedure|aggregate|sequence|sequence-owner|enum|domain|composite|view|materialized-view|refresh|index|' +
    'schema|extension|security:function|security:view|security:search-path|security:schema):',
);

const bare = (name: string) => /^[a-z_][a-z0-9_$]*$/.test(name);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const forms = (name: string) => [ident(name), ...(bare(name) ? [name] : [])].map(escape).join('|');

/** Rewrites `schema.old` to `schema.new` in SQL text, whether Postgres printed it quoted or not. */
export function renameInText(text: string, schema: string, from: string, to: string): string {
  const pattern = new RegExp(`(?<![\\w$."])(${forms(schema)})\\.(${forms(from)})(?![\\w$"])`, 'g');
  return text.replace(
    pattern,
    (_whole, s: string, n: string) => `${s}.${n.startsWith('"') || !bare(to) ? ident(to) : to}`,
  );
}

export function renameInId(id: string, schema: string, from: string, to: string): string {
  if (NOT_TABLE_IDS.test(id)) return id;
  return id.replace(new RegExp(`^((?:[a-z-]+:)+)${escape(schema)}\\.${escape(from)}(?=$|\\.)`), `$1${schema}.${to}`);
}

/** The recorded rows as they read after `alter table schema.from rename to to`. */
export function renameTableRows(rows: RecordedStep[], schema: string, from: string, to: string): RowChange[] {
  const changes: RowChange[] = [];
  for (const row of rows) {
    const up = row.up === null ? null : renameInText(row.up, schema, from, to);
    const down = renameInText(row.down, schema, from, to);
    const after: RecordedStep = {
      ...row,
      id: renameInId(row.id, schema, from, to),
      up,
      down,
      // The checksum the step would have had if it had been planned with the new name, so a
      // step that only moved with the table compares equal to the new plan's.
      checksum:
        up === null || (up === row.up && down === row.down)
          ? row.checksum
          : createHash('sha256').update(up).update('\0').update(down).digest('hex'),
      state:
        row.state && row.state.schema === schema && row.state.name === from ? { ...row.state, name: to } : row.state,
    };
    if (after.id !== row.id || after.up !== row.up || after.down !== row.down || after.state !== row.state)
      changes.push({ seq: row.seq, before: row, after });
  }
  return changes;
}

export function renameTableSql(schema: string, from: string, to: string): { sql: string; reverse: string } {
  return {
    sql: `alter table ${qname(schema, from)} rename to ${ident(to)};\n`,
    reverse: `alter table ${qname(schema, to)} rename to ${ident(from)};\n`,
  };
}

export function renameColumn(
  state: TableState,
  from: string,
  to: string,
): { state: TableState; sql: string; reverse: string } {
  const table = qname(state.schema, state.name);
  return {
    state: { ...state, columns: state.columns.map((c) => (c.name === from ? { ...c, name: to } : c)) },
    sql: `alter table ${table} rename column ${ident(from)} to ${ident(to)};\n`,
    reverse: `alter table ${table} rename column ${ident(to)} to ${ident(from)};\n`,
  };
}
