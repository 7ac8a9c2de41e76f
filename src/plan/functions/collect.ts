import { UserError } from '../../errors';
import { closestWord } from '../../yaml/closest';
import type { OpenApiOperation } from '../../openapi/types';
import {
  mappingProblems,
  MAPPING_KINDS,
  toMapping,
  type EndpointSpec,
  type FunctionsSpec,
  type OperationMapping,
} from '../../spec/functions';

/** An operation from the document or the spec, with what the spec and document say it maps to. */
export interface SourceOperation {
  op: OpenApiOperation;
  mapping: OperationMapping | null;
}

/** The OpenAPI operations and the spec's endpoints, each with its mapping; sorted by path and method. */
export function collectOperations(functions: FunctionsSpec): SourceOperation[] {
  const fromDocument = (functions.openapi?.operations ?? []).map((op) => ({
    op,
    mapping: merged(documentMapping(op), functions.operations?.[op.operationId]),
  }));
  const fromSpec = (functions.endpoints ?? []).map((e) => ({
    op: endpointOperation(e),
    mapping: e as OperationMapping,
  }));
  const all = [...fromDocument, ...fromSpec];
  const ids = new Map<string, string>();
  for (const { op } of all) {
    const other = ids.get(op.operationId);
    if (other)
      throw new UserError(
        `${op.at} operation ${op.operationId} (${op.method} ${op.path}) has the same operationId as ${other}`,
        'give the endpoint its own operation_id in migration.yaml',
      );
    ids.set(op.operationId, `${op.method} ${op.path} at ${op.at}`);
  }
  return all.sort((a, b) =>
    a.op.path < b.op.path
      ? -1
      : a.op.path > b.op.path
        ? 1
        : a.op.method < b.op.method
          ? -1
          : a.op.method > b.op.method
            ? 1
            : 0,
  );
}

const EXTENSION_KEYS = ['table', 'operation', 'filters', 'rpc', 'args', 'custom', 'verify_jwt', 'function', 'edge'];

/** The document's `x-supabase` extension, checked like a spec mapping. */
function documentMapping(op: OpenApiOperation): OperationMapping | null {
  if (!op.extension) return null;
  const unknown = Object.keys(op.extension)
    .filter((k) => !EXTENSION_KEYS.includes(k))
    .sort();
  if (unknown.length > 0) {
    const near = closestWord(unknown[0], EXTENSION_KEYS);
    throw new UserError(
      `${op.at} ${op.operationId} x-supabase: unknown key ${unknown[0]}`,
      near ? `did you mean ${near}?` : `use ${EXTENSION_KEYS.join(', ')}`,
    );
  }
  const problems = mappingProblems(op.extension, ['x-supabase'], false);
  if (problems.length > 0)
    throw new UserError(`${op.at} ${op.operationId} x-supabase: ${problems[0].message}`, problems[0].fix);
  return toMapping(op.extension, op.at);
}

/** The spec's override wins: its target replaces the document's, its settings overlay them. */
function merged(base: OperationMapping | null, override: OperationMapping | undefined): OperationMapping | null {
  if (!override) return base;
  if (!base) return override;
  const overrideHasTarget = MAPPING_KINDS.some((k) => override[k] !== undefined);
  const target = overrideHasTarget ? override : base;
  const { table, operation, filters, rpc, args, custom } = target;
  const settings = { ...pick(base), ...pick(override) };
  return {
    ...definedOnly({ table, operation, filters, rpc, args, custom }),
    ...settings,
    at: overrideHasTarget ? override.at : base.at,
  };
}

function pick(m: OperationMapping): Partial<OperationMapping> {
  return definedOnly({ verifyJwt: m.verifyJwt, function: m.function, edge: m.edge });
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function endpointOperation(e: EndpointSpec): OpenApiOperation {
  const params = [...e.path.matchAll(/\{([^}]+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path' as const,
    required: true,
    schema: { type: 'string' },
  }));
  const words = e.path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const derived = e.method.toLowerCase() + words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return {
    operationId: e.operationId ?? derived,
    method: e.method,
    path: e.path,
    tags: e.tag ? [e.tag] : [],
    summary: null,
    parameters: params.sort((a, b) => (a.name < b.name ? -1 : 1)),
    requestBody: null,
    response: null,
    errorStatuses: [],
    requiresAuth: null,
    security: null,
    extension: null,
    at: e.at,
  };
}
