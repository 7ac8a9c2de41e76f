import type { Column, Table, View } from '../../introspect/snapshot';
import { array, expanded, key, type Line, str } from './layout';
import { columnTypeRef, nullable, tsType, type TypeRef, typeRefOf, type TypeScope } from './pg-types';
import type { Relationship } from './relationships';
import type { ViewWrites } from './view-writes';

const collator = new Intl.Collator('en');
export const byName = <T extends { name: string }>(a: T, b: T): number => collator.compare(a.name, b.name);

export const columnRef = (c: Column): TypeRef => ({
  name: c.isArray ? `_${c.typeName}` : c.typeName,
  schema: c.typeSchema,
});

/** Column at which a table's or view's entry starts in the file. */
const ENTRY_AT = 6;

/** A table's entry: Row, Insert, Update and Relationships. */
export function tableEntry(t: Table, rels: Relationship[], computed: Line[][], scope: TypeScope): Line[] {
  const cols = [...t.columns].sort(byName).map((c) => ({ ...c, notNull: c.notNull || domainNotNull(c, scope) }));
  const ts = (c: Column) => tsType(columnTypeRef(columnRef(c), scope), scope);
  const locked = (c: Column) => c.identity === 'a' || c.generated !== null;
  const row = [...cols.map((c) => [`${key(c.name)}: ${nullable(ts(c), !c.notNull)}`]), ...computed];
  const insert = cols.map((c) => {
    if (locked(c)) return [`${key(c.name)}?: never`];
    const optional = !c.notNull || c.identity !== null || c.default !== null;
    return [`${key(c.name)}${optional ? '?' : ''}: ${nullable(ts(c), !c.notNull)}`];
  });
  const update = cols.map((c) => [
    locked(c) ? `${key(c.name)}?: never` : `${key(c.name)}?: ${nullable(ts(c), !c.notNull)}`,
  ]);
  return expanded(`${key(t.name)}: `, [
    expanded('Row: ', row),
    expanded('Insert: ', insert),
    expanded('Update: ', update),
    relationshipList(rels),
  ]);
}

/** A view's entry: Row (every column nullable), Insert/Update when Postgres can write through it. */
export function viewEntry(
  v: View,
  writes: ViewWrites,
  rels: Relationship[],
  computed: Line[][],
  scope: TypeScope,
): Line[] {
  const cols = [...v.columns].sort(byName);
  const ts = (c: View['columns'][number]) => tsType(columnTypeRef(typeRefOf(c.type), scope), scope);
  // A NOT NULL domain keeps a view column non-null; nothing else does.
  const isNull = (c: View['columns'][number]) => !notNullDomain(typeRefOf(c.type), scope);
  const row = [...cols.map((c) => [`${key(c.name)}: ${nullable(ts(c), isNull(c))}`]), ...computed];
  const writable = cols.map((c) => [
    writes.column(c.name) ? `${key(c.name)}?: ${nullable(ts(c), true)}` : `${key(c.name)}?: never`,
  ]);
  const members = [expanded('Row: ', row)];
  if (writes.insert) members.push(expanded('Insert: ', writable));
  if (writes.update) members.push(expanded('Update: ', writable));
  members.push(relationshipList(rels));
  return expanded(`${key(v.name)}: `, members);
}

function relationshipList(rels: Relationship[]): Line[] {
  if (rels.length === 0) return ['Relationships: []'];
  const at = ENTRY_AT + 6;
  const items = rels.map((r) =>
    expanded(
      '',
      [
        [`foreignKeyName: ${str(r.foreignKeyName)}`],
        array(
          at,
          'columns: ',
          r.columns.map((c) => str(c)),
        ),
        [`isOneToOne: ${r.isOneToOne}`],
        [`referencedRelation: ${str(r.referencedRelation)}`],
        array(
          at,
          'referencedColumns: ',
          r.referencedColumns.map((c) => str(c)),
        ),
      ],
      ',',
    ),
  );
  return expanded('Relationships: ', items).map((l, i, all) =>
    i === 0 ? 'Relationships: [' : i === all.length - 1 ? ']' : l,
  );
}

/** A column of a NOT NULL domain is not nullable even without its own NOT NULL. */
export function domainNotNull(c: Column, scope: TypeScope): boolean {
  return (
    !c.isArray && scope.snapshot.domains.some((d) => d.schema === c.typeSchema && d.name === c.typeName && d.notNull)
  );
}

/** Whether a type is a NOT NULL domain (which keeps even a view column non-null). */
export function notNullDomain(ref: TypeRef, scope: TypeScope): boolean {
  return scope.snapshot.domains.some((d) => ref.schema === d.schema && ref.name === d.name && d.notNull);
}
