import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from '../../../src/db';
import { verifyJwt, type AuthStandIn } from './gotrue';
import { readPostgrestUrl } from './postgrest';

/**
 * A stand-in for PostgREST backed by a real database: it reads PostgREST's URL grammar (the part
 * supabase-js and the generated functions use: select of columns, eq/neq/gt/gte/lt/lte/in/is
 * filters, order, limit/offset, insert/update/delete with return=representation, the single-object
 * Accept header, count=exact) and runs each request as PostgREST does: one transaction, `set local
 * role` to the verified token's role and `request.jwt.claims` set, so row level security and the
 * grants of the applied plan decide what the caller reaches.
 */
type Json = Record<string, unknown>;
interface Query {
  table: string;
  select: string;
  where: string;
  params: unknown[];
  order: string;
  limit: string;
}

export interface PostgrestLog {
  method: string;
  path: string;
  role: string;
  status: number;
}

const OPS: Record<string, string> = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' };
const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

function inList(value: string): string[] {
  return value.replace(/^\(|\)$/g, '').split(',').map((v) => v.replace(/^"|"$/g, ''));
}

function whereOf(url: URL, params: unknown[]): string {
  const parts: string[] = [];
  for (const f of readPostgrestUrl(url).filters) {
    const col = `t.${ident(f.column)}`;
    if (f.operator === 'is') parts.push(`${col} is ${f.value === 'null' ? 'null' : f.value === 'true' ? 'true' : 'false'}`);
    else if (f.operator === 'in') parts.push(`${col}::text = any($${params.push(inList(f.value))}::text[])`);
    else if (OPS[f.operator]) parts.push(`${col} ${OPS[f.operator]} $${params.push(f.value)}`);
    else throw Object.assign(new Error(`operator ${f.operator} is not supported by the stand-in`), { status: 400 });
  }
  return parts.length ? `where ${parts.join(' and ')}` : '';
}

function selectOf(raw: string | null): string {
  if (!raw || raw === '*') return 'x.*';
  if (/[()]/.test(raw)) throw Object.assign(new Error(`embedded resources are not supported by the stand-in: ${raw}`), { status: 400 });
  return raw.split(',').map((c) => `x.${ident(c.split(':').pop()!.trim())}`).join(', ');
}

function queryOf(url: URL): Query {
  const params: unknown[] = [];
  const table = `public.${ident(url.pathname.replace(/^\/rest\/v1\//, ''))}`;
  const order = (url.searchParams.get('order') ?? '').split(',').filter(Boolean)
    .map((o) => { const [c, dir] = o.split('.'); return `t.${ident(c)} ${dir === 'desc' ? 'desc' : 'asc'}`; });
  const limit = [url.searchParams.get('limit') && `limit ${Number(url.searchParams.get('limit'))}`, url.searchParams.get('offset') && `offset ${Number(url.searchParams.get('offset'))}`].filter(Boolean).join(' ');
  return { table, select: selectOf(url.searchParams.get('select')), where: whereOf(url, params), params, order: order.length ? `order by ${order.join(', ')}` : '', limit };
}

function statementOf(method: string, q: Query, body: unknown): { sql: string; params: unknown[] } {
  const rows = (Array.isArray(body) ? body : [body]) as Json[];
  // As PostgREST does, RETURNING names only the selected columns: with column grants, * is refused.
  const returning = q.select === 'x.*' ? '*' : q.select.replace(/x\./g, '');
  const qualified = q.select.replace(/x\./g, 't.');
  const agg = (from: string) => `select coalesce(jsonb_agg(to_jsonb(y)), '[]'::jsonb) as rows from (select ${q.select} from ${from} x) y`;
  if (method === 'GET' || method === 'HEAD') return { sql: agg(`(select ${qualified} from ${q.table} t ${q.where} ${q.order} ${q.limit})`), params: q.params };
  if (method === 'POST') {
    const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))].map(ident).join(', ');
    const n = q.params.push(JSON.stringify(rows));
    return { sql: `with r as (insert into ${q.table} (${cols}) select ${cols} from jsonb_populate_recordset(null::${q.table}, $${n}::jsonb) returning ${returning}) ${agg('r')}`, params: q.params };
  }
  if (method === 'PATCH') {
    const set = Object.keys(rows[0] ?? {}).map((c) => `${ident(c)} = v.${ident(c)}`).join(', ');
    const n = q.params.push(JSON.stringify(rows[0] ?? {}));
    const sql = `with r as (update ${q.table} t set ${set} from jsonb_populate_record(null::${q.table}, $${n}::jsonb) v ${q.where} returning ${qualified}) ${agg('r')}`;
    return { sql, params: q.params };
  }
  if (method === 'DELETE') return { sql: `with r as (delete from ${q.table} t ${q.where} returning ${qualified}) ${agg('r')}`, params: q.params };
  throw Object.assign(new Error(`method ${method} is not supported`), { status: 405 });
}

/** The role and claims PostgREST would take from the request: the bearer token, else the apikey. */
function claimsOf(req: IncomingMessage, secret: string): Json | null {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? (req.headers.apikey as string | undefined);
  return bearer ? verifyJwt(bearer, secret) : null;
}

// PostgREST's documented mapping of SQLSTATEs to HTTP statuses (the ones these tests can meet).
function statusOf(code: string, role: string): number {
  if (code === '42501') return role === 'anon' ? 401 : 403;
  if (code === '23505' || code === '23503') return 409;
  if (code === '23502' || code === '23514' || code === '22P02') return 400;
  return 500;
}

async function bodyOf(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

// One connection serves every request: transactions take turns, as pooled connections would not need.
let turn: Promise<unknown> = Promise.resolve();

function inTurn<T>(work: () => Promise<T>): Promise<T> {
  const next = turn.then(work, work);
  turn = next.catch(() => undefined);
  return next;
}

async function run(db: Db, req: IncomingMessage, url: URL, claims: Json): Promise<{ status: number; rows: Json[]; total: number | null }> {
  const q = queryOf(url);
  const stmt = statementOf(req.method ?? 'GET', q, await bodyOf(req));
  const role = String(claims.role);
  return inTurn(() => db.transaction(async (tx) => {
    await tx.query(`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`, [role, JSON.stringify(claims)]);
    const rows = ((await tx.query<{ rows: Json[] }>(stmt.sql, stmt.params)).rows[0]?.rows ?? []) as Json[];
    const counted = /count=exact/.test(String(req.headers.prefer ?? ''));
    const total = counted ? Number((await tx.query<{ n: string }>(`select count(*)::text as n from ${q.table} t ${q.where}`, q.params.slice(0, (q.where.match(/\$\d+/g) ?? []).length))).rows[0].n) : null;
    return { status: req.method === 'POST' ? 201 : 200, rows, total };
  }));
}

function reply(req: IncomingMessage, res: ServerResponse, out: { status: number; rows: Json[]; total: number | null }): void {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (out.total !== null) headers['content-range'] = `${out.rows.length ? `0-${out.rows.length - 1}` : '*'}/${out.total}`;
  const returning = req.method === 'GET' || req.method === 'HEAD' || /return=representation/.test(String(req.headers.prefer ?? ''));
  if (!returning) return void res.writeHead(req.method === 'POST' ? 201 : 204, headers).end();
  if (String(req.headers.accept ?? '').includes('application/vnd.pgrst.object+json')) {
    if (out.rows.length !== 1) {
      const body = { code: 'PGRST116', message: 'JSON object requested, multiple (or no) rows returned', details: `The result contains ${out.rows.length} rows`, hint: null };
      return void res.writeHead(406, headers).end(JSON.stringify(body));
    }
    return void res.writeHead(out.status, headers).end(JSON.stringify(out.rows[0]));
  }
  res.writeHead(out.status, headers).end(req.method === 'HEAD' ? undefined : JSON.stringify(out.rows));
}

export async function startDbPostgrest(db: Db, secret: string, auth: AuthStandIn): Promise<{ url: string; log: PostgrestLog[]; server: Server }> {
  const log: PostgrestLog[] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (await auth.handle(req, res, url)) return;
    const claims = claimsOf(req, secret);
    const role = String(claims?.role ?? 'none');
    const send = (status: number, body: unknown) => {
      log.push({ method: req.method ?? 'GET', path: `${url.pathname}${url.search}`, role, status });
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (!url.pathname.startsWith('/rest/v1/')) return send(404, { message: 'not PostgREST' });
    if (!claims) return send(401, { code: 'PGRST301', message: 'JWSError: the token is missing or invalid', details: null, hint: null });
    try {
      const out = await run(db, req, url, claims);
      log.push({ method: req.method ?? 'GET', path: `${url.pathname}${url.search}`, role, status: out.status });
      reply(req, res, out);
    } catch (err) {
      const e = err as Error & { code?: string; status?: number; detail?: string };
      send(e.status ?? statusOf(e.code ?? '', role), { code: e.code ?? 'PGRST100', message: e.message, details: e.detail ?? null, hint: null });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, log, server };
}
