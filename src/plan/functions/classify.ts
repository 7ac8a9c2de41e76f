import type { AuthMode, JsonSchema, OpenApiOperation, OpenApiParameter, SecurityScheme } from '../../openapi/types';
import { authRoute } from './auth-routes';
import type { MappingValue, OperationMapping, TableOperation } from '../../spec/functions';
import { columnScalar, scalarOf, type ApiCatalog } from './catalog';
import type { SourceOperation } from './collect';
import { inferRpc, inferTable, type InferredTable, itemKeyColumn } from './infer';
import type { ClassifiedOperation, Finding, RpcTarget, TableTarget, ValueSource } from './types';

type Draft = Omit<ClassifiedOperation, 'function'> & { wantsFunction: string | null; edge: boolean };

export interface Classified {
  drafts: Draft[];
  findings: Finding[];
}

const PAGING = new Set(['limit', 'offset']);

/** What the document says beyond its operations, and the users table auth routes join. */
export interface ApiContext {
  schemas: Record<string, JsonSchema>;
  schemes: SecurityScheme[];
  users: { table?: string; idColumn?: string };
}

const NO_CONTEXT: ApiContext = { schemas: {}, schemes: [], users: {} };

/** Each operation -> CRUD on a migrated table, an RPC, Supabase Auth, or custom logic. Pure. */
export function classifyOperations(
  sources: SourceOperation[],
  catalog: ApiCatalog,
  context: ApiContext = NO_CONTEXT,
): Classified {
  const findings: Finding[] = [];
  const drafts = sources.map(({ op, mapping }) => classifyOne(op, mapping, catalog, findings, context));
  return { drafts, findings };
}

/**
 * The spec's verify_jwt wins; then the document's security. An operation of a document that
 * describes security but gives this one none is public (OpenAPI's rule); where nothing is said
 * at all (no schemes, spec endpoints) a token is assumed to be required.
 */
function authOf(
  op: OpenApiOperation,
  mapping: OperationMapping | null,
  context: ApiContext,
): { auth: AuthMode; authAssumed: boolean; schemes: string[] } {
  if (mapping?.verifyJwt !== undefined)
    return { auth: mapping.verifyJwt ? 'required' : 'public', authAssumed: false, schemes: op.security?.schemes ?? [] };
  if (op.security) return { auth: op.security.mode, authAssumed: false, schemes: op.security.schemes };
  if (op.requiresAuth !== null)
    return { auth: op.requiresAuth ? 'required' : 'public', authAssumed: false, schemes: [] };
  return context.schemes.length > 0
    ? { auth: 'public', authAssumed: false, schemes: [] }
    : { auth: 'required', authAssumed: true, schemes: [] };
}

function base(
  op: OpenApiOperation,
  mapping: OperationMapping | null,
  context: ApiContext,
): Omit<Draft, 'kind' | 'mappedBy' | 'table' | 'rpc' | 'reason' | 'authRoute' | 'admin'> {
  const auth = authOf(op, mapping, context);
  return {
    ...auth,
    operationId: op.operationId,
    method: op.method,
    path: op.path,
    tags: op.tags,
    summary: op.summary,
    at: mapping?.at ?? op.at,
    requiresAuth: auth.auth === 'required',
    parameters: op.parameters,
    requestBody: op.requestBody,
    response: op.response,
    wantsFunction: mapping?.function ?? null,
    edge: mapping?.edge ?? false,
  };
}

function classifyOne(
  op: OpenApiOperation,
  mapping: OperationMapping | null,
  catalog: ApiCatalog,
  findings: Finding[],
  context: ApiContext,
): Draft {
  const b = { ...base(op, mapping, context), authRoute: null, admin: null };
  const custom = (reason: string, mappedBy: Draft['mappedBy']): Draft => ({
    ...b,
    kind: 'custom',
    mappedBy,
    table: null,
    rpc: null,
    reason,
  });
  if (mapping?.custom) return custom(mapping.custom, 'declared');
  if (mapping?.rpc)
    return {
      ...b,
      kind: 'rpc',
      mappedBy: 'declared',
      table: null,
      rpc: declaredRpc(op, mapping, catalog, findings, b.at),
      reason: null,
    };
  if (mapping?.table) {
    const table = declaredTable(op, mapping, catalog, findings, b.at);
    if (!table) return custom(`mapped to ${mapping.table}, which is not migrated`, 'declared');
    return { ...b, kind: 'crud', mappedBy: 'declared', table, rpc: null, reason: null };
  }
  // Before CRUD inference: POST /users with a password is a sign-up, not an insert into users.
  const auth = authRoute(op, context, catalog, context.users, b.auth);
  if (auth) return { ...b, kind: 'auth', mappedBy: 'inferred', table: null, rpc: null, reason: null, authRoute: auth };
  const rpcName = inferRpc(op, catalog);
  if (rpcName) {
    const { routine, schema } = catalog.exposedFunctions.get(rpcName)!;
    return {
      ...b,
      kind: 'rpc',
      mappedBy: 'inferred',
      table: null,
      rpc: { schema, name: rpcName, args: defaultArgs(op, routine.args), known: true },
      reason: null,
    };
  }
  const inferred = inferTable(op, catalog);
  const misfit = inferred ? shapeMisfit(op, inferred, context.schemas) : null;
  if (inferred && misfit) return custom(misfit, 'inferred');
  if (inferred)
    return {
      ...b,
      kind: 'crud',
      mappedBy: 'inferred',
      table: tableTarget(op, inferred, [], findings, b.at),
      rpc: null,
      reason: null,
    };
  return custom('no migrated table or database function matches this route', 'inferred');
}

function valueOf(raw: MappingValue, params: OpenApiParameter[]): ValueSource | { missing: string } {
  if (typeof raw !== 'string') return { kind: 'literal', value: raw };
  const param = /^\{([^}]+)\}$/.exec(raw)?.[1];
  if (param !== undefined) {
    const p = params.find((x) => x.name === param);
    return p ? { kind: 'param', name: p.name, in: p.in } : { missing: param };
  }
  if (raw === 'body') return { kind: 'body', field: null };
  if (raw.startsWith('body.')) return { kind: 'body', field: raw.slice(5) };
  return { kind: 'literal', value: raw };
}

function declaredTable(
  op: OpenApiOperation,
  m: OperationMapping,
  catalog: ApiCatalog,
  findings: Finding[],
  at: string,
): TableTarget | null {
  const key = m.table!.includes('.') ? m.table! : `public.${m.table}`;
  const entry = catalog.bySource.get(key);
  if (!entry) {
    const why = catalog.allSource.has(key)
      ? 'is not migrated (the spec leaves it out)'
      : 'is not a table of the source';
    findings.push({
      severity: 'error',
      operationId: op.operationId,
      at,
      message: `${op.operationId} (${op.method} ${op.path}) is mapped to ${key}, which ${why}`,
      fix: `map it to a migrated table, include ${key} in schema:, or declare it custom`,
    });
    return null;
  }
  const operation = m.operation as TableOperation;
  const { declared, literals } = declaredFilters(op, m.filters ?? {}, entry, key, findings, at);
  const inferred = m.filters ? null : inferTable(op, catalog);
  // The path says which keys it carries (an item's primary key, a nested list's parent key).
  const keys = m.filters
    ? declared
    : inferred && inferred.entry.table === entry.table
      ? inferred.keys
      : pkFromPath(op, entry, operation);
  return tableTarget(op, { entry, operation, keys }, literals, findings, at);
}

/** The spec's filters: path or query parameters become keys, literals stay literal; the rest are findings. */
function declaredFilters(
  op: OpenApiOperation,
  filters: Record<string, MappingValue>,
  entry: InferredTable['entry'],
  key: string,
  findings: Finding[],
  at: string,
): { declared: InferredTable['keys']; literals: TableTarget['filters'] } {
  const declared: InferredTable['keys'] = [];
  const literals: TableTarget['filters'] = [];
  const problem = (message: string, fix: string) =>
    findings.push({ severity: 'error', operationId: op.operationId, at, message, fix });
  for (const [column, raw] of Object.entries(filters).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const col = entry.table.columns.find((c) => c.name === column);
    const value = valueOf(raw, op.parameters);
    if (!col)
      problem(
        `filter column ${column} is not a column of ${key}`,
        `use one of ${entry.table.columns.map((c) => c.name).join(', ')}`,
      );
    else if ('missing' in value)
      problem(
        `filter ${column}: "{${value.missing}}" is not a parameter of ${op.method} ${op.path}`,
        `use one of ${op.parameters.map((p) => `{${p.name}}`).join(', ') || 'the path parameters (the route has none)'}`,
      );
    else if (value.kind === 'body')
      problem(
        `filter ${column}: a filter takes a "{parameter}" or a literal, not the body`,
        'name a path or query parameter in braces, or write the value itself',
      );
    else if (value.kind === 'param') declared.push({ param: value.name, column });
    else literals.push({ column, value, type: columnScalar(col), optional: false });
  }
  return { declared, literals };
}

/**
 * With no filters declared, an item route's one path parameter is the unique column it is named
 * after, else the primary key.
 */
function pkFromPath(
  op: OpenApiOperation,
  entry: InferredTable['entry'],
  operation: TableOperation,
): InferredTable['keys'] {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  if (pathParams.length !== 1 || operation === 'select' || operation === 'insert') return [];
  const column = itemKeyColumn(entry.table, pathParams[0].name);
  return column ? [{ param: pathParams[0].name, column }] : [];
}

function tableTarget(
  op: OpenApiOperation,
  t: InferredTable,
  literals: TableTarget['filters'],
  findings: Finding[],
  at: string,
): TableTarget {
  const { table, schema } = t.entry;
  const filters: TableTarget['filters'] = [...literals];
  for (const k of t.keys) {
    const col = table.columns.find((c) => c.name === k.column)!;
    const p = op.parameters.find((x) => x.name === k.param)!;
    filters.push({
      column: k.column,
      value: { kind: 'param', name: p.name, in: p.in },
      type: columnScalar(col),
      optional: p.in === 'query' && !p.required,
    });
  }
  const used = new Set(filters.map((f) => f.column));
  if (t.operation === 'select') {
    for (const p of op.parameters.filter((x) => x.in === 'query' && !PAGING.has(x.name))) {
      const col = table.columns.find((c) => c.name === p.name);
      if (col && !used.has(col.name))
        filters.push({
          column: col.name,
          value: { kind: 'param', name: p.name, in: 'query' },
          type: columnScalar(col),
          optional: !p.required,
        });
    }
  }
  if (
    (t.operation === 'update' || t.operation === 'delete') &&
    !filters.some((f) => f.value.kind === 'param' && f.value.in === 'path')
  ) {
    findings.push({
      severity: 'warning',
      operationId: op.operationId,
      at,
      message: `${op.operationId} ${t.operation}s ${schema}.${table.name} without a key from the path: it reaches every row RLS lets through`,
      fix: 'add filters: { id: "{id}" } to the mapping',
    });
  }
  const query = (name: string) =>
    t.operation === 'select' && op.parameters.some((p) => p.in === 'query' && p.name === name) ? name : null;
  const source = `${table.schema}.${table.name}`;
  return {
    source,
    schema,
    name: table.name,
    operation: t.operation,
    filters: filters.sort((a, b) => (a.column < b.column ? -1 : 1)),
    paging: { limit: query('limit'), offset: query('offset') },
  };
}

function declaredRpc(
  op: OpenApiOperation,
  m: OperationMapping,
  catalog: ApiCatalog,
  findings: Finding[],
  at: string,
): RpcTarget {
  const [schema, name] = m.rpc!.includes('.') ? m.rpc!.split('.') : ['public', m.rpc!];
  const routine = catalog.functions.get(`${schema}.${name}`);
  if (!routine) {
    const vectors = /^match_/.test(name);
    findings.push({
      severity: vectors ? 'info' : 'warning',
      operationId: op.operationId,
      at,
      message: vectors
        ? `${schema}.${name} is not in the source; the vectors plan creates it`
        : `${schema}.${name} is not a function of the migrated source`,
      fix: vectors
        ? 'nothing to do when vectors: covers its table'
        : 'create it in a migration, or map the operation to a function that exists',
    });
  }
  if (!m.args)
    return {
      schema,
      name,
      args: routine ? defaultArgs(op, routine.args) : spreadArgs(op),
      known: routine !== undefined,
    };
  const args: RpcTarget['args'] = [];
  for (const [arg, raw] of Object.entries(m.args).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const value = valueOf(raw, op.parameters);
    const type = routine?.args.find((a) => a.name === arg);
    if ('missing' in value)
      findings.push({
        severity: 'error',
        operationId: op.operationId,
        at,
        message: `argument ${arg}: "{${value.missing}}" is not a parameter of ${op.method} ${op.path}`,
        fix: 'name a path or query parameter, "body" or "body.<field>"',
      });
    else args.push({ name: arg, value, type: type ? scalarOf(type.type) : 'other' });
  }
  return { schema, name, args, known: routine !== undefined };
}

const stripped = (n: string) => n.replace(/^(p|in|arg)_/, '');
const camel = (n: string) => n.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Each input argument from the parameter or body field of the same name (p_ prefixes and camelCase allowed). */
function defaultArgs(
  op: OpenApiOperation,
  routineArgs: { name: string; type: string; mode: string }[],
): RpcTarget['args'] {
  return routineArgs
    .filter((a) => a.name && (a.mode === 'i' || a.mode === 'b' || a.mode === 'v'))
    .map((a) => {
      const names = [a.name, stripped(a.name), camel(stripped(a.name))];
      const p = op.parameters.find((x) => names.includes(x.name));
      const value: ValueSource = p
        ? { kind: 'param', name: p.name, in: p.in }
        : { kind: 'body', field: bodyField(op, names) ?? a.name };
      return { name: a.name, value, type: scalarOf(a.type) };
    })
    .sort((x, y) => (x.name < y.name ? -1 : 1));
}

function bodyField(op: OpenApiOperation, names: string[]): string | undefined {
  const props = op.requestBody?.properties ?? [];
  return names.find((n) => props.includes(n));
}

/** An unknown function: the parameters by name and the body's fields, as they are. */
function spreadArgs(op: OpenApiOperation): RpcTarget['args'] {
  const params = op.parameters.map((p) => ({
    name: p.name,
    value: { kind: 'param', name: p.name, in: p.in } as ValueSource,
    type: 'other' as const,
  }));
  return op.requestBody ? [{ name: '*', value: { kind: 'body', field: null }, type: 'other' }, ...params] : params;
}

function refTarget(schema: JsonSchema | undefined, schemas: Record<string, JsonSchema>): JsonSchema | undefined {
  for (let i = 0; i < 10 && schema && typeof schema.$ref === 'string'; i++)
    schema = schemas[schema.$ref.split('/').pop() ?? ''];
  return schema;
}

/** Property names the schema gives a row, or null when it names none (any row fits). */
function rowProperties(schema: JsonSchema | undefined, schemas: Record<string, JsonSchema>): string[] | null {
  const s = refTarget(schema, schemas);
  if (!s) return null;
  const parts = Array.isArray(s.allOf) ? (s.allOf as JsonSchema[]).map((p) => rowProperties(p, schemas) ?? []) : [];
  const own = s.properties && typeof s.properties === 'object' ? Object.keys(s.properties) : [];
  const all = [...own, ...parts.flat()];
  return all.length > 0 || parts.length > 0 ? all : null;
}

/**
 * Inferred CRUD keeps the contract only when the legacy body and answer are rows of the table
 * (`{article: {...}}`, `{tags: [...]}` are not): otherwise the route is custom, ported by hand.
 */
function shapeMisfit(op: OpenApiOperation, t: InferredTable, schemas: Record<string, JsonSchema>): string | null {
  const columns = new Set(t.entry.table.columns.map((c) => c.name));
  const name = `${t.entry.schema}.${t.entry.table.name}`;
  const response = refTarget(op.response?.schema ?? undefined, schemas);
  const row =
    response && (response.type === 'array' || response.items) ? (response.items as JsonSchema | undefined) : response;
  const answer = rowProperties(row, schemas);
  const body = op.requestBody ? rowProperties(op.requestBody.schema, schemas) : null;
  const foreign = [...(answer ?? []), ...(body ?? [])].filter((p) => !columns.has(p));
  if (foreign.length === 0) return null;
  return `the legacy ${answer?.some((p) => !columns.has(p)) ? 'answer' : 'body'} has ${[...new Set(foreign)].sort().join(', ')}, which ${name} has no column for: port it by hand`;
}
