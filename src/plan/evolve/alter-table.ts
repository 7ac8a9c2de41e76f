import { ident, literal, qname } from '../../sql';
import { columnDefinition } from '../schema/tables';
import type { ColumnState, TableState } from '../schema/state';

export interface TableAlteration {
  /** Statements that take the table from the old state to the new one, and back. */
  up: string[];
  reverse: string[];
  /** One phrase per change, for the summary. */
  changes: string[];
  /** `schema.table.column` for dropped columns and narrowed types. */
  destructive: string[];
  /** Changes that cannot be made by ALTER TABLE. */
  blocked: string[];
}

const INTEGER_RANK: Record<string, number> = { smallint: 1, integer: 2, bigint: 3 };

/**
 * Whether every value of `from` fits `to` unchanged: wider integers, longer or unbounded text,
 * numeric with room for as many digits on both sides of the point, real to double precision.
 */
export function isWidening(from: string, to: string): boolean {
  if (from === to) return true;
  if (INTEGER_RANK[from] && (INTEGER_RANK[to] > INTEGER_RANK[from] || to === 'numeric')) return true;
  if (from === 'real' && to === 'double precision') return true;
  const varchar = /^character varying(?:\((\d+)\))?$/;
  const vf = varchar.exec(from);
  if (vf) {
    if (to === 'text') return true;
    const vt = varchar.exec(to);
    return vt !== null && (vt[1] === undefined || (vf[1] !== undefined && Number(vt[1]) >= Number(vf[1])));
  }
  const numeric = /^numeric(?:\((\d+),(\d+)\))?$/;
  const nf = numeric.exec(from);
  const nt = numeric.exec(to);
  if (nf && nt) {
    if (nt[1] === undefined) return true;
    if (nf[1] === undefined) return false;
    const [pf, sf, pt, st] = [nf[1], nf[2], nt[1], nt[2]].map(Number);
    return st >= sf && pt - st >= pf - sf;
  }
  return false;
}

/**
 * Whether changing a column from `from` to `to` rewrites the table (and holds its ACCESS
 * EXCLUSIVE lock for as long): Postgres skips the rewrite only when the old values are valid as
 * they are, as for a longer or unbounded varchar, or numeric with more digits at the same scale.
 */
export function rewritesTable(from: string, to: string): boolean {
  if (from === to) return false;
  const varchar = /^character varying(?:\((\d+)\))?$/;
  if (varchar.test(from) && (to === 'text' || varchar.test(to))) return !isWidening(from, to);
  const numeric = /^numeric(?:\((\d+),(\d+)\))?$/;
  const nf = numeric.exec(from);
  const nt = numeric.exec(to);
  if (nf && nt) return nt[1] !== undefined && (nf[1] === undefined || nf[2] !== nt[2] || Number(nt[1]) < Number(nf[1]));
  return true;
}

const commentOn = (target: string, text: string | null) =>
  `comment on ${target} is ${text === null ? 'null' : literal(text)};`;

/** ALTER TABLE statements from the recorded state to the planned one. Pure. */
export function alterTable(from: TableState, to: TableState): TableAlteration {
  const out: TableAlteration = { up: [], reverse: [], changes: [], destructive: [], blocked: [] };
  const table = qname(to.schema, to.name);
  const path = `${to.schema}.${to.name}`;
  const add = (up: string, reverse: string, change: string) => {
    out.up.push(up);
    out.reverse.unshift(reverse);
    out.changes.push(change);
  };
  if (from.shape !== to.shape) out.blocked.push(`partitioning, inheritance or replica identity of ${path} changed`);
  const oldChecks = new Map(from.checks.map((c) => [c.name, c.definition]));
  const newChecks = new Map(to.checks.map((c) => [c.name, c.definition]));
  for (const [name, def] of oldChecks) {
    if (newChecks.get(name) === def) continue;
    add(
      `alter table ${table} drop constraint ${ident(name)};`,
      `alter table ${table} add constraint ${ident(name)} ${def};`,
      `drop check ${name}`,
    );
  }
  const oldColumns = new Map(from.columns.map((c) => [c.name, c]));
  const newColumns = new Map(to.columns.map((c) => [c.name, c]));
  for (const c of from.columns) {
    if (newColumns.has(c.name)) continue;
    add(
      `alter table ${table} drop column ${ident(c.name)};`,
      `alter table ${table} add column ${columnDefinition(c)};`,
      `drop column ${c.name}`,
    );
    out.destructive.push(`${path}.${c.name}`);
  }
  for (const c of to.columns) {
    const old = oldColumns.get(c.name);
    if (!old) {
      add(
        `alter table ${table} add column ${columnDefinition(c)};`,
        `alter table ${table} drop column ${ident(c.name)};`,
        `add column ${c.name}`,
      );
      if (c.comment !== null)
        add(commentOn(`column ${table}.${ident(c.name)}`, c.comment), '', `comment column ${c.name}`);
      continue;
    }
    alterColumn(out, table, path, old, c, add);
  }
  for (const [name, def] of newChecks) {
    if (oldChecks.get(name) === def) continue;
    add(
      `alter table ${table} add constraint ${ident(name)} ${def};`,
      `alter table ${table} drop constraint ${ident(name)};`,
      `add check ${name}`,
    );
  }
  if (from.comment !== to.comment)
    add(commentOn(`table ${table}`, to.comment), commentOn(`table ${table}`, from.comment), 'comment');
  out.reverse = out.reverse.filter((s) => s !== '');
  return out;
}

function alterColumn(
  out: TableAlteration,
  table: string,
  path: string,
  old: ColumnState,
  c: ColumnState,
  add: (up: string, reverse: string, change: string) => void,
): void {
  const col = `alter table ${table} alter column ${ident(c.name)}`;
  if (old.identity !== c.identity || old.generated !== c.generated) {
    out.blocked.push(`${path}.${c.name}: identity or generated expression changed (drop and add the column instead)`);
    return;
  }
  // The default goes first: an old default may not cast to the new type.
  const defaultChanged = old.default !== c.default;
  if (defaultChanged && old.default !== null)
    add(`${col} drop default;`, `${col} set default ${old.default};`, `drop default of ${c.name}`);
  if (old.type !== c.type || old.collation !== c.collation) {
    const to = `${c.type}${c.collation ? ` collate ${c.collation}` : ''}`;
    const back = `${old.type}${old.collation ? ` collate ${old.collation}` : ''}`;
    add(
      `${col} type ${to} using ${ident(c.name)}::${c.type};`,
      `${col} type ${back} using ${ident(c.name)}::${old.type};`,
      `type of ${c.name}: ${old.type} -> ${c.type}`,
    );
    if (!isWidening(old.type, c.type)) out.destructive.push(`${path}.${c.name}`);
  }
  if (defaultChanged && c.default !== null)
    add(`${col} set default ${c.default};`, `${col} drop default;`, `default of ${c.name}`);
  if (old.notNull !== c.notNull) {
    add(
      `${col} ${c.notNull ? 'set' : 'drop'} not null;`,
      `${col} ${c.notNull ? 'drop' : 'set'} not null;`,
      `${c.notNull ? 'set' : 'drop'} not null on ${c.name}`,
    );
  }
  if (old.comment !== c.comment) {
    add(
      commentOn(`column ${table}.${ident(c.name)}`, c.comment),
      commentOn(`column ${table}.${ident(c.name)}`, old.comment),
      `comment column ${c.name}`,
    );
  }
}
