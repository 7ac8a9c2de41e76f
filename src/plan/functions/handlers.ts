import type { Naming } from './naming';
import { AUTH_CALLS } from './auth-routes';
import { propertyKey, stableJson, str } from './ts';
import type { ClassifiedOperation, RpcTarget, ScalarType, TableTarget, ValueSource } from './types';

/** The expression that reads a value from the request, converted to the column's type. */
function read(value: ValueSource, type: ScalarType): string {
  // Body fields arrive typed by JSON and checked against the contract; an absent optional field
  // stays undefined so the database's default applies.
  if (value.kind === 'literal') return readLoose(value);
  if (value.kind === 'body') return `${readLoose(value)} as never`;
  const raw = `ctx.params[${str(value.name)}]`;
  if (type === 'number') return `Number(${raw})`;
  if (type === 'string') return `String(${raw})`;
  if (type === 'boolean') return `(${raw} === true || ${raw} === 'true')`;
  return `${raw} as never`;
}

const usesBody = (values: ValueSource[]) => values.some((v) => v.kind === 'body');

/** The admin rule's operations reach every row for a verified admin; the rest go through RLS as the caller. */
function client(schema: string, admin = false): string {
  const base = admin ? 'clientOrAdmin(ctx)' : 'clientFor(ctx)';
  return schema === 'public' ? base : `${base}.schema(${str(schema)})`;
}

function tablesType(t: TableTarget, part: 'Insert' | 'Update'): string {
  return `Database[${str(t.schema)}]['Tables'][${str(t.name)}][${str(part)}]`;
}

function filterLines(t: TableTarget, target: string): string[] {
  return t.filters.map((f) => {
    const line = `${target} = ${target}.eq(${str(f.column)}, ${read(f.value, f.type)});`;
    return f.optional && f.value.kind === 'param'
      ? `if (ctx.params[${str(f.value.name)}] !== undefined) ${line}`
      : line;
  });
}

/** The request's contract type where the document gives the body a schema. */
function bodyType(op: ClassifiedOperation, naming: Naming): string {
  return op.requestBody ? `${naming.op(op.operationId).request} & Record<string, unknown>` : 'Record<string, unknown>';
}

/** Column values an insert takes from the path (a nested route's parent key). */
function rowExpression(op: ClassifiedOperation, t: TableTarget, part: 'Insert' | 'Update', naming: Naming): string {
  const own = t.filters.map((f) => `${propertyKey(f.column)}: ${read(f.value, f.type)}`);
  const body = `...(ctx.body as ${bodyType(op, naming)})`;
  return `{ ${[body, ...own].join(', ')} } as ${tablesType(t, part)}`;
}

/** A list route: its filters, and a page of rows when the route takes a limit. */
function selectBody(op: ClassifiedOperation, t: TableTarget, from: string): string[] {
  const lines = [`let query = ${from}.select('*');`, ...filterLines(t, 'query')];
  if (t.paging.limit) {
    const offset = t.paging.offset ? `Number(ctx.params[${str(t.paging.offset)}] ?? 0)` : '0';
    lines.push(
      `if (ctx.params[${str(t.paging.limit)}] !== undefined) {`,
      `  const start = ${offset};`,
      `  query = query.range(start, start + Number(ctx.params[${str(t.paging.limit)}]) - 1);`,
      '}',
    );
  }
  return [
    ...lines,
    'const { data, error, status } = await query;',
    'if (error) return dbError(error, status);',
    `return json(${op.response?.status ?? 200}, data);`,
  ];
}

function crudBody(op: ClassifiedOperation, t: TableTarget, naming: Naming): string[] {
  const from = `${client(t.schema, op.admin !== null)}.from(${str(t.name)})`;
  const notFound = `if (!data || (Array.isArray(data) && data.length === 0)) return json(404, { error: 'not found', operation: ${str(op.operationId)} });`;
  switch (t.operation) {
    case 'select':
      return selectBody(op, t, from);
    case 'get':
      return [
        `let query = ${from}.select('*');`,
        ...filterLines(t, 'query'),
        'const { data, error, status } = await query.maybeSingle();',
        'if (error) return dbError(error, status);',
        notFound,
        `return json(${op.response?.status ?? 200}, data);`,
      ];
    case 'insert':
    case 'upsert': {
      const row = rowExpression(op, t, 'Insert', naming);
      return [
        `const row = ${row};`,
        `const { data, error, status } = await ${from}.${t.operation}(row).select().single();`,
        'if (error) return dbError(error, status);',
        `return json(${op.response?.status ?? 201}, data);`,
      ];
    }
    case 'update': {
      const patch = `{ ...(ctx.body as ${bodyType(op, naming)}) } as ${tablesType(t, 'Update')}`;
      return [
        `let query = ${from}.update(${patch});`,
        ...filterLines(t, 'query'),
        'const { data, error, status } = await query.select();',
        'if (error) return dbError(error, status);',
        notFound,
        `return json(${op.response?.status ?? 200}, data.length === 1 ? data[0] : data);`,
      ];
    }
    case 'delete':
      return [
        `let query = ${from}.delete();`,
        ...filterLines(t, 'query'),
        'const { data, error, status } = await query.select();',
        'if (error) return dbError(error, status);',
        notFound,
        `return json(${op.response?.status ?? 204}, ${op.response?.status && op.response.status !== 204 ? 'data' : 'null'});`,
      ];
  }
}

function rpcBody(op: ClassifiedOperation, r: RpcTarget): string[] {
  const fields = r.args
    .filter((a) => a.name !== '*')
    .map(
      (a) =>
        `${propertyKey(a.name)}: ${a.type === 'other' || optional(op, a.value) ? readLoose(a.value) : read(a.value, a.type)}`,
    );
  const spread = r.args.some((a) => a.name === '*') ? ['...body'] : [];
  const object = `{ ${[...spread, ...fields].join(', ')} }`;
  const lines = usesBody(r.args.map((a) => a.value))
    ? ['const body = (ctx.body ?? {}) as Record<string, unknown>;']
    : [];
  const base = client(r.schema);
  if (r.known) {
    lines.push(`const args = ${object} as Database[${str(r.schema)}]['Functions'][${str(r.name)}]['Args'];`);
    lines.push(`const { data, error, status } = await ${base}.rpc(${str(r.name)}, args);`);
  } else {
    lines.push(
      `// ${r.schema}.${r.name} is not in database.types.ts yet (another part of the plan creates it), so the call is untyped.`,
    );
    lines.push(`const args: Record<string, unknown> = ${object};`);
    lines.push(
      `const { data, error, status } = await untyped(clientFor(ctx))${r.schema === 'public' ? '' : `.schema(${str(r.schema)})`}.rpc(${str(r.name)}, args);`,
    );
  }
  return [...lines, 'if (error) return dbError(error, status);', `return json(${op.response?.status ?? 200}, data);`];
}

/** An optional query parameter may be absent: pass it as it is, so the function's default applies. */
function optional(op: ClassifiedOperation, value: ValueSource): boolean {
  return value.kind === 'param' && op.parameters.some((p) => p.name === value.name && !p.required);
}

/** Arguments the catalog cannot type (json, arrays, enums, unknown functions) pass as they arrived. */
function readLoose(value: ValueSource): string {
  if (value.kind === 'literal') return JSON.stringify(value.value);
  return value.kind === 'param'
    ? `ctx.params[${str(value.name)}]`
    : value.field === null
      ? 'body'
      : `body[${str(value.field)}]`;
}

/** One handler function per generated operation (custom ones live in handlers/, the user's). */
export function handlerSource(op: ClassifiedOperation, naming: Naming): string {
  const name = naming.op(op.operationId).handler;
  const doc = `/** ${op.method} ${op.path} (${op.operationId}): ${describe(op)} */`;
  if (op.authRoute) {
    const { kind, ...route } = op.authRoute;
    return [
      doc,
      `function ${name}(ctx: RequestContext): Promise<Response> {`,
      `  return ${AUTH_CALLS[kind].fn}(ctx, ${stableJson(route, 2, 1)});`,
      '}',
    ].join('\n');
  }
  const body = op.rpc ? rpcBody(op, op.rpc) : crudBody(op, op.table!, naming);
  return [
    doc,
    `async function ${name}(ctx: RequestContext): Promise<Response> {`,
    ...body.map((l) => `  ${l}`),
    '}',
  ].join('\n');
}

/** The file a custom operation's hand-ported handler lives in, below the function's folder. */
export function handlerFile(op: ClassifiedOperation): string {
  return `handlers/${op.operationId.replace(/[^A-Za-z0-9_.-]/g, '_')}.ts`;
}

/** A custom operation's handler, written once as a 501 stub; the user ports the legacy logic into it. */
export function handlerStub(op: ClassifiedOperation, source: string, naming: Naming): string {
  const names = naming.op(op.operationId);
  const todo = `port the legacy handler: ${op.reason ?? 'custom logic'}`;
  const caller =
    op.auth === 'public'
      ? 'null without a token'
      : op.auth === 'optional'
        ? 'null without a token (optional)'
        : 'always set (a token is required)';
  return [
    `// ${op.method} ${op.path} (${op.operationId}). Written once by supamigrate as a stub; from now on this file is`,
    '// yours: re-planning never rewrites it. The router has checked the request against the contract',
    `// (${names.request}) before this runs; ctx.caller is ${caller}; clientFor(ctx) queries as the caller.`,
    "import { notImplemented, type RequestContext } from '../../_shared/router.ts';",
    '// What the legacy API takes and answers here; a change of either shows in `supamigrate plan --diff`.',
    `export type { ${names.request}, ${names.response} } from '../../_shared/contracts.ts';`,
    '',
    'export default function handle(_ctx: RequestContext): Promise<Response> {',
    `  return Promise.resolve(notImplemented(${str(op.operationId)}, ${str(source)}, ${str(todo)}));`,
    '}',
    '',
  ].join('\n');
}

export function describe(op: ClassifiedOperation): string {
  if (op.authRoute) return `Supabase Auth: ${AUTH_CALLS[op.authRoute.kind].call}`;
  if (op.table) return `${op.table.operation} on ${op.table.schema}.${op.table.name}`;
  if (op.rpc) return `calls ${op.rpc.schema}.${op.rpc.name}()`;
  return `custom logic in ${handlerFile(op)} (501 until ported)`;
}
