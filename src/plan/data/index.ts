import type { Column, Snapshot, Table } from '../../introspect/snapshot';
import type { TableDataOptions } from '../../spec/types';
import { loadOrder } from './order';
import type { Chunking, CopyColumn, DataPlanOptions, GeneratedColumn, SequenceReset, TableCopy } from './types';

export type {
  Chunking,
  CopyColumn,
  CopyMode,
  DataPlanOptions,
  GeneratedColumn,
  SequenceReset,
  TableCopy,
} from './types';

const INTEGER_TYPES = ['smallint', 'integer', 'bigint'];
const name = (t: { schema: string; name: string }) => `${t.schema}.${t.name}`;

/** Per-table copy specs in load order. Pure: the snapshot and options in, sorted plain data out. */
export function planData(snapshot: Snapshot, options: DataPlanOptions): TableCopy[] {
  const copied = snapshot.tables.filter((t) => t.kind === 'r' && !optionsFor(options, t)?.skip);
  const byName = new Map(copied.map((t) => [name(t), t]));
  const leavesOf = partitionLeaves(snapshot.tables);
  const dependsOn = (n: string) =>
    byName
      .get(n)!
      .constraints.filter((c) => c.kind === 'f' && c.refTable)
      .flatMap((c) => leavesOf.get(c.refTable!) ?? [c.refTable!]);
  const ordered = loadOrder([...byName.keys()], dependsOn);
  return ordered.map((n, order) => tableCopy(byName.get(n)!, snapshot, options, order));
}

/** Every sequence and identity column, so its value can follow the data. */
export function planSequenceResets(snapshot: Snapshot, schemaRename: Record<string, string> = {}): SequenceReset[] {
  const to = (schema: string) => schemaRename[schema] ?? schema;
  const sequences: SequenceReset[] = snapshot.sequences.map((s) => ({
    kind: 'sequence',
    source: { schema: s.schema, name: s.name },
    target: { schema: to(s.schema), name: s.name },
  }));
  const identities: SequenceReset[] = snapshot.tables
    .filter((t) => t.kind === 'r' || t.kind === 'p')
    .filter((t) => t.partitionOf === null)
    .flatMap((t) => t.columns.filter((c) => c.identity).map((c) => ({ t, c })))
    .map(({ t, c }) => ({
      kind: 'identity',
      source: { schema: t.schema, table: t.name, column: c.name },
      target: { schema: to(t.schema), table: t.name, column: c.name },
    }));
  return [...sequences, ...identities].sort((a, b) => resetKey(a).localeCompare(resetKey(b)));
}

function resetKey(r: SequenceReset): string {
  return r.kind === 'sequence'
    ? `${r.source.schema}.${r.source.name}`
    : `${r.source.schema}.${r.source.table}.${r.source.column}`;
}

function tableCopy(table: Table, snapshot: Snapshot, options: DataPlanOptions, order: number): TableCopy {
  const opts = optionsFor(options, table);
  const key = copyKey(table, snapshot);
  const columns = copyColumns(table.columns, opts).map((c) =>
    withExpression(c, options.expressions?.[`${name(table)}.${c.source}`]),
  );
  const filter = options.filters?.[name(table)];
  const generated = generatedColumns(table.columns, opts);
  return {
    id: `data:${name(table)}`,
    source: { schema: table.schema, table: table.name },
    target: { schema: options.schemaRename[table.schema] ?? table.schema, table: table.name },
    columns,
    ...(generated.length > 0 ? { generated } : {}),
    key,
    chunking: chunkingFor(table, key),
    where: filter ? (opts?.where ? `(${opts.where}) and ${filter}` : filter) : (opts?.where ?? null),
    mode: opts?.mode ?? options.mode ?? 'auto',
    overridingSystemValue: table.columns.some((c) => c.identity === 'a' && columns.some((k) => k.source === c.name)),
    estimatedRows: Math.max(0, table.estimatedRows),
    order,
  };
}

function withExpression(c: CopyColumn, expression: string | undefined): CopyColumn {
  return expression === undefined ? c : { ...c, expression };
}

function optionsFor(options: DataPlanOptions, table: Table): TableDataOptions | undefined {
  return options.tables[name(table)] ?? (table.schema === 'public' ? options.tables[table.name] : undefined);
}

function copyColumns(columns: Column[], opts: TableDataOptions | undefined): CopyColumn[] {
  return [...columns]
    .sort((a, b) => a.position - b.position)
    .filter((c) => c.generated === null && !opts?.drop.includes(c.name))
    .filter((c) => !opts || !(c.name in opts.rename) || opts.rename[c.name] !== null)
    .map((c) => ({ source: c.name, target: opts?.rename[c.name] ?? c.name, cast: opts?.cast[c.name] ?? null }));
}

function generatedColumns(columns: Column[], opts: TableDataOptions | undefined): GeneratedColumn[] {
  return [...columns]
    .sort((a, b) => a.position - b.position)
    .filter((c) => c.generated !== null && !opts?.drop.includes(c.name))
    .filter((c) => !opts || !(c.name in opts.rename) || opts.rename[c.name] !== null)
    .map((c) => ({ source: c.name, target: opts?.rename[c.name] ?? c.name, expression: c.generated! }));
}

/** The primary key, else a unique key on NOT NULL columns; a leaf partition may inherit its parent's. */
function copyKey(table: Table, snapshot: Snapshot): string[] | null {
  const pk = table.constraints.find((c) => c.kind === 'p');
  if (pk) return pk.columns;
  const notNull = new Set(table.columns.filter((c) => c.notNull).map((c) => c.name));
  const unique = table.constraints
    .filter((c) => c.kind === 'u' && c.columns.every((col) => notNull.has(col)))
    .sort((a, b) => a.columns.length - b.columns.length || a.name.localeCompare(b.name))[0];
  if (unique) return unique.columns;
  const parent = table.partitionOf ? snapshot.tables.find((t) => name(t) === table.partitionOf) : undefined;
  return parent ? copyKey(parent, snapshot) : null;
}

function chunkingFor(table: Table, key: string[] | null): Chunking {
  if (!key) return 'whole';
  const column = table.columns.find((c) => c.name === key[0]);
  return key.length === 1 && column && !column.isArray && INTEGER_TYPES.includes(column.type) ? 'range' : 'keyset';
}

/** Partitioned parent -> its leaf partitions (through sub-partitioned levels). */
function partitionLeaves(tables: Table[]): Map<string, string[]> {
  const children = new Map<string, Table[]>();
  for (const t of tables) if (t.partitionOf) children.set(t.partitionOf, [...(children.get(t.partitionOf) ?? []), t]);
  const leaves = (n: string): string[] =>
    (children.get(n) ?? []).flatMap((c) => (c.kind === 'p' ? leaves(name(c)) : [name(c)])).sort();
  return new Map([...children.keys()].map((p) => [p, leaves(p)]));
}
