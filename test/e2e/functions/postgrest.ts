import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthStandIn } from './gotrue';

/** One request supabase-js sent, read the way PostgREST reads it. */
export interface CapturedRequest {
  method: string;
  /** `/rest/v1/courses` or `/rest/v1/rpc/course_progress`. */
  path: string;
  /** The table or the function (`rpc/<name>`). */
  resource: string;
  /** `select=` columns. */
  select: string | null;
  /** Horizontal filters: `id=eq.5` -> { column: 'id', operator: 'eq', value: '5' }. */
  filters: { column: string; operator: string; value: string }[];
  /** limit / offset from the query string or a Range header. */
  range: string | null;
  authorization: string | null;
  apikey: string | null;
  accept: string | null;
  prefer: string | null;
  body: unknown;
}

const RESERVED = new Set(['select', 'order', 'limit', 'offset', 'on_conflict', 'columns', 'and', 'or']);

/** PostgREST's URL grammar: `?select=*&col=op.value`, rpc under /rpc/<function>. */
export function readPostgrestUrl(url: URL): Pick<CapturedRequest, 'path' | 'resource' | 'select' | 'filters'> {
  const resource = url.pathname.replace(/^\/rest\/v1\//, '');
  const filters: CapturedRequest['filters'] = [];
  for (const [column, raw] of url.searchParams) {
    if (RESERVED.has(column)) continue;
    const dot = raw.indexOf('.');
    filters.push({ column, operator: raw.slice(0, dot), value: raw.slice(dot + 1) });
  }
  return { path: url.pathname, resource, select: url.searchParams.get('select'), filters };
}

async function bodyOf(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

export type Answer = (r: CapturedRequest) => { status: number; body: unknown };

/**
 * A stand-in for PostgREST at ${SUPABASE_URL}/rest/v1 (it cannot run here): it records each
 * request and answers as PostgREST documents: arrays of rows, one object when the client asks
 * for `application/vnd.pgrst.object+json` (406 unless exactly one row), 404 for unknown paths.
 */
export async function startPostgrest(answer: Answer, auth?: AuthStandIn): Promise<{ url: string; requests: CapturedRequest[]; server: Server }> {
  const requests: CapturedRequest[] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (auth && (await auth.handle(req, res, url))) return;
    if (!url.pathname.startsWith('/rest/v1/')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'not PostgREST' }));
      return;
    }
    const header = (n: string) => (req.headers[n] as string | undefined) ?? null;
    const captured: CapturedRequest = {
      method: req.method ?? 'GET',
      ...readPostgrestUrl(url),
      range: url.searchParams.get('limit') !== null ? `limit=${url.searchParams.get('limit')}&offset=${url.searchParams.get('offset') ?? 0}` : header('range'),
      authorization: header('authorization'),
      apikey: header('apikey'),
      accept: header('accept'),
      prefer: header('prefer'),
      body: await bodyOf(req),
    };
    requests.push(captured);
    const out = answer(captured);
    const single = (captured.accept ?? '').includes('application/vnd.pgrst.object+json');
    if (single && Array.isArray(out.body)) {
      if (out.body.length !== 1) {
        res.writeHead(406, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'PGRST116', message: 'JSON object requested, multiple (or no) rows returned', details: `The result contains ${out.body.length} rows`, hint: null }));
        return;
      }
      res.writeHead(out.status, { 'content-type': 'application/vnd.pgrst.object+json' }).end(JSON.stringify(out.body[0]));
      return;
    }
    res.writeHead(out.status, { 'content-type': 'application/json' }).end(JSON.stringify(out.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}
