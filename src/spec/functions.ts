import { readOpenApi } from '../openapi';
import type { HttpMethod, OpenApiDocument } from '../openapi/types';
import { closestWord } from '../yaml/closest';
import { SpecError, type KeyPath, type PlacedProblem, type SpecProblem } from '../yaml/problem';

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

export type TableOperation = 'select' | 'get' | 'insert' | 'update' | 'upsert' | 'delete';
export type MappingValue = string | number | boolean;

/** What one API operation maps onto, as the spec (or the document's x-supabase) says. */
export interface OperationMapping {
  table?: string;
  operation?: TableOperation;
  filters?: Record<string, MappingValue>;
  rpc?: string;
  args?: Record<string, MappingValue>;
  custom?: string;
  verifyJwt?: boolean;
  function?: string;
  edge?: boolean;
  /** Where it is written, `migration.yaml:LINE:COL`, for messages. */
  at: string;
}

export interface EndpointSpec extends OperationMapping {
  method: HttpMethod;
  path: string;
  operationId?: string;
  tag?: string;
}

/** `functions:`; keys the file left out stay out. */
export interface FunctionsSpec {
  /** The parsed document, read when the spec is loaded (the planner does no I/O). */
  openapi?: OpenApiDocument;
  groupBy?: 'tag' | 'resource';
  endpoints?: EndpointSpec[];
  /** operationId -> mapping and overrides. */
  operations?: Record<string, OperationMapping>;
}

export const MAPPING_KINDS = ['table', 'rpc', 'custom'] as const;

/** One validated `functions.endpoints` item: a mapping plus the route. */
interface RawEndpoint {
  method: unknown;
  path: string;
  operation_id?: string;
  tag?: string;
  [key: string]: unknown;
}

/** The validated `functions:` section; endpoints and operations are checked as they are read. */
export interface RawFunctions {
  openapi?: unknown;
  group_by?: FunctionsSpec['groupBy'];
  endpoints?: unknown;
  operations?: unknown;
}

/** Reads the OpenAPI document (the only I/O) and maps the validated section. */
export function toFunctionsSpec(raw: RawFunctions, dir: string, at: (path: KeyPath) => string): FunctionsSpec {
  const out: FunctionsSpec = {};
  if (typeof raw.openapi === 'string') {
    // Named as the spec writes it (relative to the spec), so generated files read the same from any folder.
    out.openapi = readOpenApi(`${dir}/${raw.openapi}`, raw.openapi);
  }
  if (raw.group_by) out.groupBy = raw.group_by;
  if (Array.isArray(raw.endpoints)) {
    out.endpoints = raw.endpoints.map((e: RawEndpoint, i: number) => ({
      ...toMapping(e, at(['functions', 'endpoints', i])),
      method: String(e.method).toUpperCase() as HttpMethod,
      path: e.path,
      ...(e.operation_id ? { operationId: e.operation_id } : {}),
      ...(e.tag ? { tag: e.tag } : {}),
    }));
  }
  const operations = raw.operations;
  if (isPlain(operations)) {
    const ids = Object.keys(operations).sort();
    unknownOperations(ids, out, at);
    out.operations = Object.fromEntries(
      ids.map((id) => [id, toMapping(operations[id] as Plain, at(['functions', 'operations', id]))]),
    );
  }
  return out;
}

/** An override for an operationId that neither the document nor the endpoints have is a typo. */
function unknownOperations(ids: string[], functions: FunctionsSpec, at: (path: KeyPath) => string): void {
  const known = [
    ...(functions.openapi?.operations.map((o) => o.operationId) ?? []),
    ...(functions.endpoints ?? []).map((e) => e.operationId).filter((id): id is string => id !== undefined),
  ];
  const problems: PlacedProblem[] = [];
  for (const id of ids.filter((i) => !known.includes(i))) {
    const [, line, col] = splitAt(at(['functions', 'operations', id]));
    const near = closestWord(id, known);
    const where = functions.openapi ? `${functions.openapi.file}` : 'functions.endpoints';
    problems.push({
      line,
      col,
      path: `functions.operations.${id}`,
      message: `${where} has no operation "${id}"`,
      fix: near ? `did you mean ${near}?` : `use an operationId of ${where}`,
    });
  }
  if (problems.length > 0) throw new SpecError(splitAt(at([]))[0], problems);
}

function splitAt(at: string): [string, number, number] {
  const m = /^(.*):(\d+):(\d+)$/.exec(at);
  return m ? [m[1], Number(m[2]), Number(m[3])] : [at, 1, 1];
}

/** Also used for the document's `x-supabase` extension, which takes the same keys. */
export function toMapping(m: Plain, at: string): OperationMapping {
  const out: OperationMapping = { at };
  if (typeof m.table === 'string') out.table = m.table;
  if (typeof m.operation === 'string') out.operation = m.operation as TableOperation;
  if (isPlain(m.filters)) out.filters = m.filters as Record<string, MappingValue>;
  if (typeof m.rpc === 'string') out.rpc = m.rpc;
  if (isPlain(m.args)) out.args = m.args as Record<string, MappingValue>;
  if (typeof m.custom === 'string') out.custom = m.custom;
  if (typeof m.verify_jwt === 'boolean') out.verifyJwt = m.verify_jwt;
  if (typeof m.function === 'string') out.function = m.function;
  if (typeof m.edge === 'boolean') out.edge = m.edge;
  return out;
}

/** What the schema cannot say: one target per mapping, and keys that belong to it. */
export function functionsProblems(raw: unknown): SpecProblem[] {
  if (!isPlain(raw)) return [];
  const problems: SpecProblem[] = [];
  if (Array.isArray(raw.endpoints)) {
    raw.endpoints.forEach((e, i) => {
      if (isPlain(e)) problems.push(...mappingProblems(e, ['functions', 'endpoints', i], true));
    });
    problems.push(...duplicateEndpoints(raw.endpoints));
  }
  if (isPlain(raw.operations)) {
    for (const id of Object.keys(raw.operations).sort()) {
      if (isPlain(raw.operations[id]))
        problems.push(...mappingProblems(raw.operations[id], ['functions', 'operations', id], false));
    }
  }
  return problems;
}

export function mappingProblems(m: Plain, path: KeyPath, needsTarget: boolean): SpecProblem[] {
  const kinds = MAPPING_KINDS.filter((k) => m[k] !== undefined);
  if (kinds.length > 1)
    return [
      {
        path,
        message: `maps to ${kinds.join(' and ')} at once`,
        fix: 'keep one of table (with operation), rpc or custom',
      },
    ];
  if (kinds.length === 0 && needsTarget)
    return [
      {
        path,
        message: 'says neither table, rpc nor custom',
        fix: 'add table: schema.table with operation:, or rpc: function_name, or custom: "what the handler does"',
      },
    ];
  const problems: SpecProblem[] = [];
  if (m.table !== undefined && m.operation === undefined)
    problems.push({
      path: [...path, 'table'],
      message: 'a table mapping needs an operation',
      fix: 'add operation: select, get, insert, update, upsert or delete',
    });
  for (const [key, owner] of [
    ['operation', 'table'],
    ['filters', 'table'],
    ['args', 'rpc'],
  ] as const) {
    if (m[key] !== undefined && m[owner] === undefined)
      problems.push({
        path: [...path, key],
        message: `${key} only applies to a ${owner} mapping`,
        fix: `add ${owner}: or remove ${key}`,
        onKey: true,
      });
  }
  if (m.edge !== undefined && m.table === undefined && kinds.length > 0)
    problems.push({
      path: [...path, 'edge'],
      message: 'edge only applies to a table mapping (rpc and custom operations are served by edge functions already)',
      fix: 'remove edge',
      onKey: true,
    });
  return problems;
}

function duplicateEndpoints(endpoints: unknown[]): SpecProblem[] {
  const seen = new Set<string>();
  const problems: SpecProblem[] = [];
  endpoints.forEach((e, i) => {
    if (!isPlain(e) || typeof e.method !== 'string' || typeof e.path !== 'string') return;
    const key = `${e.method.toUpperCase()} ${e.path.replace(/\{[^}]+\}/g, '{}')}`;
    if (seen.has(key))
      problems.push({
        path: ['functions', 'endpoints', i],
        message: `${e.method.toUpperCase()} ${e.path} is declared twice`,
        fix: 'keep one endpoint per method and path',
      });
    seen.add(key);
  });
  return problems;
}
