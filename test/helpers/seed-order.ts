import type { Snapshot, Table } from '../../src/introspect/snapshot';
import { ident, qname } from '../../src/sql';
import { columnsIn } from './seed-checks';

const key = (t: Table): string => `${t.schema}.${t.name}`;

/**
 * A table's foreign keys, with those of the partitioned tables it is a partition of: a key
 * declared on the parent binds each partition, and with triggers off nothing else enforces it.
 */
export function foreignKeys(snapshot: Snapshot, t: Table): Table['constraints'] {
  const own = t.constraints.filter((c) => c.kind === 'f' && c.refTable !== null);
  const parent = t.partitionOf ? snapshot.tables.find((x) => key(x) === t.partitionOf) : undefined;
  if (!parent) return own;
  const inherited = foreignKeys(snapshot, parent).filter((p) => !own.some((c) => c.columns.join() === p.columns.join()));
  return [...own, ...inherited];
}

/** Parents before children; cycles are broken where they are found. */
export function fkOrder(snapshot: Snapshot, tables: Table[]): Table[] {
  const left = new Map(tables.map((t) => [key(t), t]));
  const out: Table[] = [];
  for (let guard = 0; left.size > 0 && guard < tables.length + 1; guard++) {
    // A key to a partitioned table waits for its partitions, which hold its rows.
    const pending = (ref: string) => left.has(ref) || [...left.values()].some((p) => p.partitionOf === ref);
    const ready = [...left.values()].filter((t) => foreignKeys(snapshot, t).every((c) => c.refTable === key(t) || !pending(c.refTable ?? '')));
    for (const t of ready.length > 0 ? ready : [[...left.values()][0]]) {
      out.push(t);
      left.delete(key(t));
    }
  }
  return out;
}

/**
 * The key columns' values of row i: key j takes the parent's row i + j, so that two keys to one
 * table (follower, followed) differ. A key column that is generated from a constant (a kind flag
 * such as `is_organization generated always as (true)`) is not written: the parent's row is one
 * that has that value.
 */
export function keyValues(snapshot: Snapshot, t: Table, i: number): Map<string, string> {
  const out = new Map<string, string>();
  for (const [j, fk] of foreignKeys(snapshot, t).entries()) {
    const [rs, rn] = (fk.refTable as string).split('.');
    const parent = qname(rs, rn);
    const fixed = fk.columns.flatMap((col, k) => {
      const c = t.columns.find((x) => x.name === col);
      return c?.generated != null && columnsIn(c.generated, t).length === 0 ? [`p.${ident(fk.refColumns[k])} = (${c.generated})`] : [];
    });
    const where = fixed.length > 0 ? ` where ${fixed.join(' and ')}` : '';
    const order = fk.refColumns.map((c) => `p.${ident(c)}`).join(', ');
    const offset = `${i + j} % greatest((select count(*) from ${parent} p${where}), 1)`;
    for (const [k, col] of fk.columns.entries()) {
      const c = t.columns.find((x) => x.name === col);
      if (c && (c.generated !== null || c.identity === 'a')) continue;
      out.set(col, `(select p.${ident(fk.refColumns[k])} from ${parent} p${where} order by ${order} offset ${offset} limit 1)`);
    }
  }
  return out;
}
