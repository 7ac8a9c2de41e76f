import { resolvePointer } from './pointer';
import { operationSecurity } from './security';
import {
  HTTP_METHODS,
  type HttpMethod,
  type Problem,
  type JsonSchema,
  type OpenApiOperation,
  type OpenApiParameter,
} from './types';

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Follows `$ref` chains of parameters, bodies and responses (schemas keep theirs). */
function deref(root: Plain, node: unknown): unknown {
  let current = node;
  for (let depth = 0; depth < 20 && isPlain(current) && typeof current.$ref === 'string'; depth++)
    current = resolvePointer(root, current.$ref);
  return current;
}

/** The operations of `paths`, sorted by path then method, with derived operationIds where missing. */
export function buildOperations(
  doc: Plain,
  at: (path: (string | number)[]) => string,
): { operations: OpenApiOperation[]; problems: Problem[] } {
  const operations: OpenApiOperation[] = [];
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  const paths = doc.paths as Plain;
  for (const route of Object.keys(paths).sort()) {
    const item = deref(doc, paths[route]);
    if (!isPlain(item)) continue;
    if (!route.startsWith('/'))
      problems.push({
        path: ['paths', route],
        message: `path "${route}" does not start with /`,
        fix: 'write paths as /resource/{param}',
        onKey: true,
      });
    for (const method of HTTP_METHODS) {
      const raw = item[method.toLowerCase()];
      if (!isPlain(raw)) continue;
      const where = ['paths', route, method.toLowerCase()];
      const op = toOperation(doc, route, method, item, raw, at(where));
      const before = seen.get(op.operationId);
      if (before)
        problems.push({
          path: [...where, 'operationId'],
          message: `operationId "${op.operationId}" is also used by ${before}`,
          fix: 'give every operation its own operationId',
        });
      seen.set(op.operationId, `${method} ${route}`);
      operations.push(withUndeclaredPathParameters(op));
    }
  }
  return { operations, problems };
}

function toOperation(
  doc: Plain,
  route: string,
  method: HttpMethod,
  item: Plain,
  raw: Plain,
  at: string,
): OpenApiOperation {
  const tags = Array.isArray(raw.tags) ? raw.tags.filter((t): t is string => typeof t === 'string') : [];
  return {
    operationId:
      typeof raw.operationId === 'string' && raw.operationId !== '' ? raw.operationId : derivedId(method, route),
    method,
    path: route,
    tags,
    summary: typeof raw.summary === 'string' ? raw.summary : null,
    parameters: parameters(doc, item.parameters, raw.parameters),
    requestBody: requestBody(doc, raw.requestBody),
    response: response(doc, raw.responses),
    errorStatuses: isPlain(raw.responses)
      ? Object.keys(raw.responses)
          .filter((k) => /^4\d\d$/.test(k))
          .map(Number)
          .sort((a, b) => a - b)
      : [],
    requiresAuth: requiresAuth(raw.security ?? doc.security),
    security: operationSecurity(raw.security, doc.security),
    extension: isPlain(raw['x-supabase']) ? (raw['x-supabase'] as Record<string, unknown>) : null,
    at,
  };
}

/** `GET /courses/{courseId}/lessons` -> `getCoursesByCourseIdLessons`. */
function derivedId(method: HttpMethod, route: string): string {
  const words = route
    .split('/')
    .filter(Boolean)
    .flatMap((seg) =>
      seg.startsWith('{') ? ['by', ...seg.slice(1, -1).split(/[^A-Za-z0-9]+/)] : seg.split(/[^A-Za-z0-9]+/),
    )
    .filter(Boolean);
  return method.toLowerCase() + words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

/** Path-level parameters, overridden by operation-level ones of the same name and location. */
function parameters(doc: Plain, shared: unknown, own: unknown): OpenApiParameter[] {
  const byKey = new Map<string, OpenApiParameter>();
  for (const list of [shared, own]) {
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      const p = deref(doc, entry);
      if (!isPlain(p) || typeof p.name !== 'string' || (p.in !== 'path' && p.in !== 'query')) continue;
      const schema = isPlain(p.schema) ? (p.schema as JsonSchema) : { type: 'string' };
      byKey.set(`${p.in}:${p.name}`, {
        name: p.name,
        in: p.in,
        required: p.in === 'path' || p.required === true,
        schema,
      });
    }
  }
  return [...byKey.values()].sort((a, b) => (a.in === b.in ? (a.name < b.name ? -1 : 1) : a.in === 'path' ? -1 : 1));
}

function jsonContent(content: unknown): Plain | null {
  if (!isPlain(content)) return null;
  const type = Object.keys(content)
    .sort()
    .find((t) => t === 'application/json' || /^application\/[\w.-]+\+json$/.test(t));
  return type && isPlain(content[type]) ? (content[type] as Plain) : null;
}

function requestBody(doc: Plain, raw: unknown): OpenApiOperation['requestBody'] {
  const body = deref(doc, raw);
  if (!isPlain(body)) return null;
  const media = jsonContent(body.content);
  // An OAuth2 password form (FastAPI's OAuth2PasswordRequestForm) arrives url-encoded.
  const form =
    !media && isPlain(body.content) && isPlain(body.content['application/x-www-form-urlencoded'])
      ? (body.content['application/x-www-form-urlencoded'] as Plain)
      : null;
  if (!media && !form) return null;
  const chosen = (media ?? form)!;
  const schema = isPlain(chosen.schema) ? (chosen.schema as JsonSchema) : {};
  return {
    schema,
    required: body.required === true,
    properties: topLevelProperties(doc, schema),
    ...(form ? { form: true as const } : {}),
  };
}

/** The body's field names, through `$ref` and `allOf`, so a field can feed a function argument. */
function topLevelProperties(doc: Plain, schema: unknown, depth = 0): string[] {
  const s = deref(doc, schema);
  if (!isPlain(s) || depth > 10) return [];
  const own = isPlain(s.properties) ? Object.keys(s.properties) : [];
  const parts = Array.isArray(s.allOf) ? s.allOf.flatMap((p) => topLevelProperties(doc, p, depth + 1)) : [];
  return [...new Set([...own, ...parts])].sort();
}

function response(doc: Plain, raw: unknown): OpenApiOperation['response'] {
  if (!isPlain(raw)) return null;
  const statuses = Object.keys(raw)
    .filter((s) => /^2\d\d$/.test(s))
    .sort();
  if (statuses.length === 0) return null;
  for (const status of statuses) {
    const media = jsonContent((deref(doc, raw[status]) as Plain | undefined)?.content);
    if (media) return { status: Number(status), schema: isPlain(media.schema) ? (media.schema as JsonSchema) : null };
  }
  return { status: Number(statuses[0]), schema: null };
}

/** A security list with one non-empty requirement requires auth; `[]` or a `{}` entry makes it optional. */
function requiresAuth(security: unknown): boolean | null {
  if (!Array.isArray(security)) return null;
  if (security.length === 0) return false;
  return security.every((req) => isPlain(req) && Object.keys(req).length > 0);
}

/** Documents often leave `{id}` undeclared; such a parameter is taken as a required string. */
function withUndeclaredPathParameters(op: OpenApiOperation): OpenApiOperation {
  const declared = new Set(op.parameters.filter((p) => p.in === 'path').map((p) => p.name));
  const missing = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).filter((name) => !declared.has(name));
  if (missing.length === 0) return op;
  const added: OpenApiParameter[] = missing.map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  return {
    ...op,
    parameters: [...added, ...op.parameters].sort((a, b) =>
      a.in === b.in ? (a.name < b.name ? -1 : 1) : a.in === 'path' ? -1 : 1,
    ),
  };
}
