/**
 * The shared runtime of the generated edge functions (`supabase/functions/_shared/`): CORS and
 * JSON responses, the router with auth and request checks, the JSON Schema subset checker, and the
 * per-request supabase-js client. Fixed text, so every plan writes the same bytes.
 */

export const HTTP_TS = `// CORS on every response, as Supabase's Edge Functions guide does it; browsers send a preflight
// OPTIONS before any call that carries Authorization or a JSON body.
export const corsHeaders: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'authorization, x-client-info, apikey, content-type',
  'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
};

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const init = { status, headers: { ...corsHeaders, ...headers, 'Content-Type': 'application/json' } };
  return new Response(status === 204 ? null : JSON.stringify(body), init);
}

export function preflight(): Response {
  return new Response('ok', { headers: corsHeaders });
}

export interface FieldError {
  /** \`body.title\`, \`path.courseId\`, \`query.limit\`. */
  field: string;
  message: string;
}

export function invalid(operationId: string, fields: FieldError[]): Response {
  return json(400, { error: 'invalid request', operation: operationId, fields });
}
`;

export const ROUTER_TS = `import { invalid, json, preflight, type FieldError } from './http.ts';
import { callerOf, type Caller } from './supabase.ts';
import { check, coerce, type Schema } from './validate.ts';

export type Value = string | number | boolean | string[];

export interface RequestContext {
  req: Request;
  /** Path and query parameters, converted to their schema types and checked. */
  params: Record<string, Value | undefined>;
  /** The parsed JSON (or url-encoded form) body, checked against the operation's schema when it has one. */
  body: unknown;
  /** The caller's access token (from \`Authorization: Bearer ...\` or \`Token ...\`), null without one. */
  token: string | null;
  /** Who the token belongs to; null for an anonymous call. */
  caller: Caller | null;
}

export interface ParameterContract {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: Schema;
}

/** What the API promised for one operation's request, from the OpenAPI document. */
export interface RequestContract {
  parameters: ParameterContract[];
  body: { schema: Schema; required: boolean; form?: boolean } | null;
}

/** As the API document says: public, optional (a token is used when sent) or required. */
export type Auth = 'public' | 'optional' | 'required';

export interface Route {
  method: string;
  /** The OpenAPI path, with {param} placeholders. */
  path: string;
  operationId: string;
  auth: Auth;
  contract: RequestContract;
  handle: (ctx: RequestContext) => Promise<Response>;
}

interface Compiled extends Route {
  pattern: RegExp;
  names: string[];
}

function compile(route: Route): Compiled {
  const names: string[] = [];
  // A parameter may fill a whole segment (/courses/{id}) or part of one (/files/{name}.{ext}).
  const source = route.path
    .split(/(\\{[^}]+\\})/)
    .map((part) => {
      const m = /^\\{([^}]+)\\}$/.exec(part);
      if (!m) return part.replace(/[.*+?^$()|[\\]\\\\]/g, '\\\\$&');
      names.push(m[1]);
      return '([^/]+?)';
    })
    .join('');
  return { ...route, pattern: new RegExp('^' + source + '/?$'), names };
}

/**
 * Supabase serves a function at /functions/v1/<name>/...; the runtime hands it /<name>/...
 * Both are accepted; what follows the name is matched against the API's paths.
 */
function routePath(pathname: string, functionName: string): string | null {
  const rest = pathname.startsWith('/functions/v1/') ? pathname.slice('/functions/v1'.length) : pathname;
  const prefix = '/' + functionName;
  if (rest === prefix) return '/';
  return rest.startsWith(prefix + '/') ? rest.slice(prefix.length) : null;
}

/** \`Bearer <token>\` (Supabase, OAuth2) or \`Token <token>\` (an apiKey scheme in Authorization). */
function tokenOf(req: Request): string | null {
  const m = /^(?:Bearer|Token)\\s+(\\S+)\\s*$/i.exec(req.headers.get('Authorization') ?? '');
  return m ? m[1] : null;
}

async function readBody(req: Request, form: boolean): Promise<{ ok: true; value: unknown } | { ok: false }> {
  const text = await req.text();
  if (text.trim() === '') return { ok: true, value: undefined };
  if (form) return { ok: true, value: Object.fromEntries(new URLSearchParams(text)) };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function checkRequest(route: Compiled, raw: Record<string, string | null>, body: unknown, components: Record<string, Schema>): { params: RequestContext['params']; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const params: RequestContext['params'] = {};
  for (const p of route.contract.parameters) {
    const field = p.in + '.' + p.name;
    const text = raw[field];
    if (text === null || text === undefined) {
      if (p.required) errors.push({ field, message: 'is required' });
      continue;
    }
    const value = coerce(text, p.schema, components);
    check(value, p.schema, components, field, errors);
    params[p.name] = value as Value;
  }
  const contract = route.contract.body;
  if (contract) {
    if (body === undefined) {
      if (contract.required) errors.push({ field: 'body', message: 'is required' });
    } else check(body, contract.schema, components, 'body', errors);
  }
  return { params, errors };
}

/**
 * Deno.serve handler: CORS, routing, auth, validation, then the operation's handler. A function
 * deployed with verify_jwt = false (it has public or optional routes) checks every token it is
 * sent itself; behind verify_jwt = true the gateway has checked it already.
 */
export function serveRoutes(functionName: string, routes: Route[], components: Record<string, Schema>, options: { verifyJwt: boolean } = { verifyJwt: true }): (req: Request) => Promise<Response> {
  const compiled = routes.map(compile);
  return async (req: Request): Promise<Response> => {
    if (req.method === 'OPTIONS') return preflight();
    const url = new URL(req.url);
    const path = routePath(url.pathname, functionName);
    const candidates = path === null ? [] : compiled.filter((r) => r.pattern.test(path));
    if (path === null || candidates.length === 0) return json(404, { error: 'not found', path: url.pathname });
    const route = candidates.find((r) => r.method === req.method);
    if (!route) return json(405, { error: 'method not allowed', allow: candidates.map((r) => r.method) }, { Allow: candidates.map((r) => r.method).join(', ') });
    const token = tokenOf(req);
    if (route.auth === 'required' && !token) {
      return json(401, { error: 'missing authorization', operation: route.operationId, fix: 'send Authorization: Bearer <access token of a signed-in user>' });
    }
    const caller = token ? await callerOf(token, !options.verifyJwt) : null;
    if (token && !options.verifyJwt && !caller) {
      return json(401, { error: 'invalid token', operation: route.operationId, fix: 'sign in again: the access token is expired or not from this project' });
    }
    const body = await readBody(req, route.contract.body?.form === true);
    if (!body.ok) return invalid(route.operationId, [{ field: 'body', message: 'is not valid JSON' }]);
    const match = route.pattern.exec(path!)!;
    const raw: Record<string, string | null> = {};
    route.names.forEach((name, i) => (raw['path.' + name] = decodeURIComponent(match[i + 1])));
    for (const p of route.contract.parameters) if (p.in === 'query') raw['query.' + p.name] = url.searchParams.get(p.name);
    const checked = checkRequest(route, raw, body.value, components);
    if (checked.errors.length > 0) return invalid(route.operationId, checked.errors);
    try {
      return await route.handle({ req, params: checked.params, body: body.value, token, caller });
    } catch (err) {
      return json(500, { error: err instanceof Error ? err.message : String(err), operation: route.operationId });
    }
  };
}

/** The answer for logic that has not been ported yet: explicit, never a silent success. */
export function notImplemented(operationId: string, source: string, todo: string): Response {
  return json(501, { error: 'not implemented', operation: operationId, source, todo });
}
`;

export const VALIDATE_TS = `import type { FieldError } from './http.ts';

/** The part of JSON Schema (OpenAPI 3.0 and 3.1) the request contracts use. */
export type Schema = { [keyword: string]: unknown };

const FORMATS: Record<string, RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  email: /^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$/,
  'date-time': /^\\d{4}-\\d{2}-\\d{2}[Tt ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?([Zz]|[+-]\\d{2}:?\\d{2})?$/,
  date: /^\\d{4}-\\d{2}-\\d{2}$/,
  uri: /^[A-Za-z][A-Za-z0-9+.-]*:[^\\s]*$/,
};

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function allowedTypes(schema: Schema): string[] | null {
  const t = schema.type;
  const list = Array.isArray(t) ? (t as string[]) : typeof t === 'string' ? [t] : null;
  if (list && schema.nullable === true) return [...list, 'null'];
  return list;
}

function matchesType(value: unknown, types: string[]): boolean {
  const actual = typeOf(value);
  return types.includes(actual) || (actual === 'integer' && types.includes('number'));
}

/** Appends one error per violated keyword; field paths read like \`body.modules[0].title\`. */
export function check(value: unknown, schema: Schema, components: Record<string, Schema>, field: string, errors: FieldError[]): void {
  const ref = schema.$ref;
  if (typeof ref === 'string') {
    const target = components[ref.split('/').pop() ?? ''];
    if (target) check(value, target, components, field, errors);
    return;
  }
  if (Array.isArray(schema.allOf)) for (const part of schema.allOf as Schema[]) check(value, part, components, field, errors);
  for (const key of ['anyOf', 'oneOf']) {
    const options = schema[key];
    if (Array.isArray(options) && !options.some((o) => passes(value, o as Schema, components))) {
      errors.push({ field, message: 'matches none of the allowed shapes' });
    }
  }
  const types = allowedTypes(schema);
  if (types && !matchesType(value, types)) {
    errors.push({ field, message: 'must be ' + types.join(' or ') });
    return;
  }
  if (value === null) return;
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => e === value)) {
    errors.push({ field, message: 'must be one of ' + (schema.enum as unknown[]).map((e) => JSON.stringify(e)).join(', ') });
  }
  if ('const' in schema && schema.const !== value) errors.push({ field, message: 'must be ' + JSON.stringify(schema.const) });
  if (typeof value === 'string') checkString(value, schema, field, errors);
  if (typeof value === 'number') checkNumber(value, schema, field, errors);
  if (Array.isArray(value)) checkArray(value, schema, components, field, errors);
  else if (typeof value === 'object') checkObject(value as Record<string, unknown>, schema, components, field, errors);
}

function passes(value: unknown, schema: Schema, components: Record<string, Schema>): boolean {
  const errors: FieldError[] = [];
  check(value, schema, components, '', errors);
  return errors.length === 0;
}

function checkString(value: string, schema: Schema, field: string, errors: FieldError[]): void {
  const length = [...value].length;
  if (typeof schema.minLength === 'number' && length < schema.minLength) errors.push({ field, message: 'must be at least ' + schema.minLength + ' characters' });
  if (typeof schema.maxLength === 'number' && length > schema.maxLength) errors.push({ field, message: 'must be at most ' + schema.maxLength + ' characters' });
  if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) errors.push({ field, message: 'must match ' + schema.pattern });
  const format = typeof schema.format === 'string' ? FORMATS[schema.format] : undefined;
  if (format && !format.test(value)) errors.push({ field, message: 'must be a valid ' + schema.format });
}

function checkNumber(value: number, schema: Schema, field: string, errors: FieldError[]): void {
  const exclusiveMin = schema.exclusiveMinimum;
  const exclusiveMax = schema.exclusiveMaximum;
  if (typeof schema.minimum === 'number') {
    if (exclusiveMin === true ? value <= schema.minimum : value < schema.minimum) errors.push({ field, message: 'must be ' + (exclusiveMin === true ? 'greater than ' : 'at least ') + schema.minimum });
  }
  if (typeof schema.maximum === 'number') {
    if (exclusiveMax === true ? value >= schema.maximum : value > schema.maximum) errors.push({ field, message: 'must be ' + (exclusiveMax === true ? 'less than ' : 'at most ') + schema.maximum });
  }
  if (typeof exclusiveMin === 'number' && value <= exclusiveMin) errors.push({ field, message: 'must be greater than ' + exclusiveMin });
  if (typeof exclusiveMax === 'number' && value >= exclusiveMax) errors.push({ field, message: 'must be less than ' + exclusiveMax });
}

function checkArray(value: unknown[], schema: Schema, components: Record<string, Schema>, field: string, errors: FieldError[]): void {
  if (typeof schema.minItems === 'number' && value.length < schema.minItems) errors.push({ field, message: 'must have at least ' + schema.minItems + ' items' });
  if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) errors.push({ field, message: 'must have at most ' + schema.maxItems + ' items' });
  const items = schema.items;
  if (items && typeof items === 'object' && !Array.isArray(items)) value.forEach((item, i) => check(item, items as Schema, components, field + '[' + i + ']', errors));
}

function checkObject(value: Record<string, unknown>, schema: Schema, components: Record<string, Schema>, field: string, errors: FieldError[]): void {
  const prefix = field ? field + '.' : '';
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  for (const name of Array.isArray(schema.required) ? (schema.required as string[]) : []) {
    if (value[name] === undefined) errors.push({ field: prefix + name, message: 'is required' });
  }
  for (const [name, item] of Object.entries(value)) {
    if (properties[name]) {
      if (item !== undefined) check(item, properties[name], components, prefix + name, errors);
    } else if (schema.additionalProperties === false) {
      errors.push({ field: prefix + name, message: 'is not allowed' });
    } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      check(item, schema.additionalProperties as Schema, components, prefix + name, errors);
    }
  }
}

/** Path and query values arrive as text; convert them to the schema's type before checking. */
export function coerce(raw: string, schema: Schema, components: Record<string, Schema>): unknown {
  const ref = schema.$ref;
  const resolved = typeof ref === 'string' ? components[ref.split('/').pop() ?? ''] ?? schema : schema;
  const types = allowedTypes(resolved) ?? [];
  if ((types.includes('integer') || types.includes('number')) && raw.trim() !== '' && !Number.isNaN(Number(raw))) return Number(raw);
  if (types.includes('boolean') && (raw === 'true' || raw === 'false')) return raw === 'true';
  if (types.includes('array')) return raw.split(',');
  return raw;
}
`;
