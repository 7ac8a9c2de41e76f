import type { Routine, Snapshot } from '../../introspect/snapshot';
import { expanded, fitsOnLine, indented, key, type Line, retouched, typeLiteral, str, union } from './layout';
import { columnTypeRef, nullable, tsType, type TypeRef, typeRefOf, type TypeScope } from './pg-types';
import { conflictMessage } from './conflicts';
import { byName, columnRef, domainNotNull, notNullDomain } from './relations';

const collator = new Intl.Collator('en');
/** json, jsonb and text: the only types PostgREST passes a single unnamed argument as. */
const UNNAMED_OK = new Set(['json', 'jsonb', 'text']);
const IN_MODES = new Set(['i', 'b', 'v']);
/** Column at which a function's entry starts in the file. */
const ENTRY_AT = 6;

const inArgs = (f: Routine) => f.args.filter((a) => IN_MODES.has(a.mode));

/** Functions PostgREST can call: plain functions, not trigger functions, with callable arguments. */
export function callable(f: Routine, snap: Snapshot): boolean {
  if (f.kind !== 'f' || /^(trigger|event_trigger)$/.test(f.returns)) return false;
  const args = inArgs(f);
  if (args.length === 0 || args.every((a) => a.name !== '')) return true;
  if (args.every((a) => a.name !== '' || (a.hasDefault && UNNAMED_OK.has(typeRefOf(a.type).name)))) return true;
  if (args.length !== 1) return false;
  const ref = typeRefOf(args[0].type);
  return (
    // the type's own schema: test.unnamed_xml_param(xml) takes pg_catalog.xml, not postgrest's view test.xml
    UNNAMED_OK.has(ref.name) || isRowType(ref, snap)
  );
}

/** A type with a relation behind it: a table's, view's or foreign table's row type, or a composite type. */
function isRowType(ref: TypeRef, snap: Snapshot): boolean {
  const same = (r: { schema: string; name: string }) => r.name === ref.name && r.schema === ref.schema;
  return [...snap.tables, ...snap.views, ...snap.composites, ...(snap.foreignTables ?? [])].some(same);
}

export function sortOverloads(overloads: Routine[]): Routine[] {
  return [...overloads].sort(
    (a, b) => collator.compare(a.identityArgs, b.identityArgs) || collator.compare(a.returns, b.returns),
  );
}

/** A function's entry; overloads become a union sorted by their argument lists. */
export function functionEntry(schema: string, name: string, overloads: Routine[], scope: TypeScope): Line[] {
  const sorted = sortOverloads(overloads);
  if (sorted.length === 1) return signature(ENTRY_AT, `${key(name)}: `, sorted[0], scope, null);
  const members = sorted.map((f) => signature(ENTRY_AT + 4, '', f, scope, conflictMessage(schema, f, sorted)));
  // Each overload: its first line after a leading bar, the rest two levels deeper.
  return [`${key(name)}:`, ...members.flatMap((lines) => [`  | ${lines[0] as string}`, indented(lines.slice(1), 2)])];
}

function signature(at: number, head: string, f: Routine, scope: TypeScope, conflict: string | null): Line[] {
  const args = [...inArgs(f)]
    .sort(byName)
    .map((a) => `${key(a.name)}${a.hasDefault ? '?' : ''}: ${tsType(typeRefOf(a.type), scope)}`);
  const argsType = args.length === 0 ? 'Record<PropertyKey, never>' : `{ ${args.join('; ')} }`;
  const result = returns(f, scope);
  // An unresolvable call returns PostgREST's error instead of its result, still as a set.
  const error =
    conflict ??
    (rowArgumentError(f, result, scope)
      ? `the function ${scope.schemaOf(f.schema)}.${f.name} with parameter or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache`
      : null);
  const base: Line[] = error === null ? result.lines : ['{', '  error: true', `} & ${str(error)}`];
  const lines = f.returnsSet && !result.collapses ? withArray(base, true) : base;
  if (result.setof === null && lines.length === 1) {
    const flat = `${head}{ Args: ${argsType}; Returns: ${lines[0] as string} }`;
    if (fitsOnLine(at, flat)) return [flat];
  }
  const argLines = args.length === 0 ? [`Args: ${argsType}`] : typeLiteral(at + 2, 'Args: ', args);
  const retLines = retouched(lines, (l) => `Returns: ${l}`);
  const members = [argLines, retLines];
  if (result.setof !== null) members.push(result.setof);
  return expanded(head, members);
}

/**
 * A single unnamed argument of a row type is a computed field; called directly, PostgREST finds no match unless it
 * returns rows.
 */
function rowArgumentError(f: Routine, result: Returned, scope: TypeScope): boolean {
  const args = inArgs(f);
  if (args.length !== 1 || args[0].name !== '' || result.relation !== null) return false;
  return isRowType(typeRefOf(args[0].type), scope.snapshot);
}

interface Returned {
  /** The result type of one call, before `[]` for a set. */
  lines: Line[];
  setof: Line[] | null;
  /** The relation or composite type a result row is, which supabase-js can select into. */
  relation: string | null;
  /** A set of rows estimated at one row at most (ROWS 1) reads as a single row. */
  collapses: boolean;
}

/** The planner's row estimate: `ROWS n` in the definition, else Postgres's defaults. */
function estimatedRows(f: Routine): number {
  const header = f.definition.split(/\n(?:AS |BEGIN ATOMIC|RETURN )/)[0];
  const m = header.match(/^ (?:.* )?ROWS (\d+(?:\.\d+)?)(?= |$)/m);
  return m ? Number(m[1]) : f.returnsSet ? 1000 : 0;
}

function returns(f: Routine, scope: TypeScope): Returned {
  const tableArgs = f.args.filter((a) => a.mode === 't');
  if (tableArgs.length > 0) {
    const cols = [...tableArgs].sort(byName).map((a) => [`${key(a.name)}: ${tsType(typeRefOf(a.type), scope)}`]);
    return { lines: expanded('', cols), setof: null, relation: null, collapses: false };
  }
  const ref = typeRefOf(f.returns.replace(/^SETOF\s+/, ''));
  const snap = scope.snapshot;
  const same = (o: { schema: string; name: string }) => o.name === ref.name && o.schema === ref.schema;
  const table = snap.tables.find(same);
  const view = snap.views.find(same);
  const composite = snap.composites.find(same);
  const relation = table || view || composite ? ref.name : null;
  const single = estimatedRows(f) <= 1;
  // A relation-typed result lets supabase-js select into it: the generator says so in SetofOptions.
  const setof = relation === null ? null : setofOptions(f, relation, single, scope);
  const collapses = single && relation !== null;
  // Rows are spelled out for relations of the function's own schema, referenced otherwise.
  if ((table || view) && same({ schema: f.schema, name: ref.name })) {
    const row = table
      ? [...table.columns]
          .sort(byName)
          .map((c) => [
            `${key(c.name)}: ${nullable(tsType(columnTypeRef(columnRef(c), scope), scope), !c.notNull && !domainNotNull(c, scope))}`,
          ])
      : [...(view as NonNullable<typeof view>).columns]
          .sort(byName)
          .map((c) => [
            `${key(c.name)}: ${nullable(tsType(columnTypeRef(typeRefOf(c.type), scope), scope), !notNullDomain(typeRefOf(c.type), scope))}`,
          ]);
    return { lines: expanded('', row), setof, relation, collapses };
  }
  return { lines: [tsType(ref, scope)], setof, relation, collapses };
}

/** `from` is the row type of a single relation-typed argument (an embedded function), else `*`. */
function setofOptions(f: Routine, to: string, single: boolean, scope: TypeScope): Line[] {
  const only = f.args.length === 1 ? typeRefOf(f.args[0].type) : null;
  const snap = scope.snapshot;
  const relationArg =
    only !== null &&
    [...snap.tables, ...snap.views, ...snap.composites].some((r) => r.name === only.name && r.schema === only.schema);
  return expanded('SetofOptions: ', [
    [
      `from: ${relationArg ? str(formattedName(scope.schemaOf((only as TypeRef).schema), (only as TypeRef).name)) : '"*"'}`,
    ],
    [`to: ${str(to)}`],
    [`isOneToOne: ${single}`],
    [`isSetofReturn: ${f.returnsSet}`],
  ]);
}

/** Keywords quote_ident() quotes (every kind but the unreserved ones). */
const QUOTED_KEYWORDS = new Set(
  `all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create
current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc distinct do else end
except false fetch for foreign from grant group having in initially intersect into lateral leading limit localtime localtimestamp not
null offset on only or order placing primary references returning select session_user some symmetric system_user table then to
trailing true union unique user using variadic when where window with authorization binary collation concurrently cross
current_schema freeze full ilike inner is isnull join left like natural notnull outer overlaps right similar tablesample verbose
between bigint bit boolean char character coalesce dec decimal exists extract float greatest grouping inout int integer interval
least national nchar none normalize numeric out overlay position precision real row setof smallint substring time timestamp treat
trim values varchar xmlattributes xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize
xmltable`.split(/\s+/),
);

const quoteIdent = (name: string) =>
  /^[a-z_][a-z0-9_$]*$/.test(name) && !QUOTED_KEYWORDS.has(name) ? name : `"${name.replace(/"/g, '""')}"`;

/** A row type as format_type() names it for the generator's session (search_path "$user", public). */
function formattedName(schema: string, name: string): string {
  return schema === 'public' ? quoteIdent(name) : `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** A computed field's column: the function's result without set or SetofOptions, nullable. */
export function computedField(f: Routine, scope: TypeScope): Line[] {
  const lines = returns(f, scope).lines;
  if (lines.length === 1) return [`${key(f.name)}: ${nullable(lines[0] as string, true)}`];
  return retouched(
    lines,
    (l) => `${key(f.name)}: ${l}`,
    (l) => `${l} | null`,
  );
}

/** Functions taking one argument of a relation's row type read like a column of it (PostgREST). */
export function isComputedFieldOf(f: Routine, relation: { schema: string; name: string }): boolean {
  const args = inArgs(f);
  if (args.length !== 1) return false;
  const ref = typeRefOf(args[0].type);
  return ref.schema === relation.schema && ref.name === relation.name;
}

function withArray(lines: Line[], set: boolean): Line[] {
  return set
    ? retouched(
        lines,
        (l) => l,
        (l) => `${l}[]`,
      )
    : lines;
}

/** Enums as a union of their values, broken into a leading-bar list when long. */
export function enumEntry(name: string, values: string[]): Line[] {
  return union(
    ENTRY_AT,
    `${key(name)}:`,
    values.map((v) => str(v)),
  );
}
