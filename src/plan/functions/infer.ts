import type { Table } from '../../introspect/snapshot';
import type { OpenApiOperation } from '../../openapi/types';
import type { TableOperation } from '../../spec/functions';
import type { ApiCatalog } from './catalog';

/** Leading path segments that version or prefix an API rather than name a resource. */
const PREFIX = /^(api|rest|v\d+(\.\d+)?)$/i;

export interface InferredTable {
  entry: { table: Table; schema: string };
  operation: TableOperation;
  /** Path parameter -> column it filters (the primary key of an item, the foreign key of a nested list). */
  keys: { param: string; column: string }[];
}

/** Path segments after version prefixes: `{x}` stays a parameter. */
export function resourceSegments(path: string): string[] {
  const segments = path.split('/').filter(Boolean);
  let i = 0;
  while (i < segments.length && PREFIX.test(segments[i])) i++;
  return segments.slice(i);
}

const isParam = (s: string) => s.startsWith('{') && s.endsWith('}');
const paramName = (s: string) => s.slice(1, -1);

/** `lessons`, `lesson`, `course-reviews`, `categories` -> candidate table names. */
function tableNames(segment: string): string[] {
  const base = segment.toLowerCase().replace(/-/g, '_');
  const out = [base, `${base}s`, `${base}es`];
  if (base.endsWith('ies')) out.push(`${base.slice(0, -3)}y`);
  if (base.endsWith('y')) out.push(`${base.slice(0, -1)}ies`);
  if (base.endsWith('s')) out.push(base.slice(0, -1));
  return out;
}

function findTable(catalog: ApiCatalog, segment: string): InferredTable['entry'] | undefined {
  for (const name of tableNames(segment)) {
    const hit = catalog.exposedByName.get(name);
    if (hit) return hit;
  }
  return undefined;
}

/**
 * The column an item route's path parameter finds its row by: a one-column key named like the
 * parameter (`/articles/{slug}` with `slug` unique), else the one-column primary key.
 */
export function itemKeyColumn(table: Table, param: string): string | null {
  const single = table.constraints.filter((c) => (c.kind === 'p' || c.kind === 'u') && c.columns.length === 1);
  if (single.some((c) => c.columns[0] === param)) return param;
  return single.find((c) => c.kind === 'p')?.columns[0] ?? null;
}

/** The one-column foreign key from child to parent, if there is exactly one. */
function foreignKey(child: Table, parent: Table): string | null {
  const fks = child.constraints.filter(
    (c) => c.kind === 'f' && c.columns.length === 1 && c.refTable === `${parent.schema}.${parent.name}`,
  );
  return fks.length === 1 ? fks[0].columns[0] : null;
}

const COLLECTION: Partial<Record<string, TableOperation>> = { GET: 'select', POST: 'insert' };
const ITEM: Partial<Record<string, TableOperation>> = { GET: 'get', PUT: 'update', PATCH: 'update', DELETE: 'delete' };

/**
 * Plain CRUD read off the path: `/courses`, `/courses/{id}`, `/courses/{courseId}/enrollments`
 * (nested through the one foreign key between them) and `/.../{id}` below it. Anything else is
 * not plain CRUD.
 */
export function inferTable(op: OpenApiOperation, catalog: ApiCatalog): InferredTable | null {
  const s = resourceSegments(op.path);
  const shape = s.map((x) => (isParam(x) ? 'p' : 's')).join('');
  if (shape === 's' || shape === 'sp') {
    const entry = findTable(catalog, s[0]);
    if (!entry) return null;
    return shape === 's' ? collection(op, entry, []) : item(op, entry, paramName(s[1]), []);
  }
  if (shape === 'sps' || shape === 'spsp') {
    const parent = findTable(catalog, s[0]);
    const entry = findTable(catalog, s[2]);
    if (!parent || !entry) return null;
    const fk = foreignKey(entry.table, parent.table);
    if (!fk) return null;
    const nested = [{ param: paramName(s[1]), column: fk }];
    return shape === 'sps' ? collection(op, entry, nested) : item(op, entry, paramName(s[3]), nested);
  }
  return null;
}

function collection(
  op: OpenApiOperation,
  entry: InferredTable['entry'],
  keys: InferredTable['keys'],
): InferredTable | null {
  const operation = COLLECTION[op.method];
  return operation ? { entry, operation, keys } : null;
}

function item(
  op: OpenApiOperation,
  entry: InferredTable['entry'],
  param: string,
  keys: InferredTable['keys'],
): InferredTable | null {
  const operation = ITEM[op.method];
  const column = itemKeyColumn(entry.table, param);
  if (!operation || !column) return null;
  return { entry, operation, keys: [...keys, { param, column }] };
}

/** A database function named like the operation (`enrollStudent` -> enroll_student) or its last path word. */
export function inferRpc(op: OpenApiOperation, catalog: ApiCatalog): string | null {
  const snake = op.operationId
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toLowerCase();
  const last = resourceSegments(op.path)
    .filter((x) => !isParam(x))
    .pop()
    ?.toLowerCase()
    .replace(/-/g, '_');
  for (const name of [snake, last]) if (name && catalog.exposedFunctions.has(name)) return name;
  return null;
}
