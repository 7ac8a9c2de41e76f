import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the issue-comments endpoints of GitHub's REST API, as GitHub documents
 * them: GET/POST /repos/{owner}/{repo}/issues/{n}/comments (paged with per_page and page, a Link
 * header to the next page), PATCH /repos/{owner}/{repo}/issues/comments/{id}; bearer token
 * required; 201 on create, 200 otherwise; errors as `{ "message": ... }`. And
 * GET /repos/{owner}/{repo}/commits/{sha}/pulls: the pull requests `pulls` says hold the commit.
 */
export interface FakeGitHub {
  url: string;
  comments: { id: number; issue: number; body: string }[];
  requests: string[];
  /** Commit sha -> the numbers of the pull requests that hold it. */
  pulls: Record<string, number[]>;
  close(): Promise<void>;
}

export async function startFakeGitHub(repository: string, token: string): Promise<FakeGitHub> {
  const state: FakeGitHub = { url: '', comments: [], requests: [], pulls: {}, close: async () => undefined };
  let nextId = 1000;
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    state.requests.push(`${req.method} ${url.pathname}`);
    if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, { message: 'Bad credentials' });
    if (!String(req.headers.accept).includes('application/vnd.github')) return send(res, 415, { message: 'Unsupported accept' });
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const list = new RegExp(`^/repos/${repository}/issues/(\\d+)/comments$`).exec(url.pathname);
    const one = new RegExp(`^/repos/${repository}/issues/comments/(\\d+)$`).exec(url.pathname);
    const pulls = new RegExp(`^/repos/${repository}/commits/([0-9a-f]{40})/pulls$`).exec(url.pathname);
    if (pulls && req.method === 'GET') return send(res, 200, (state.pulls[pulls[1]] ?? []).map((n) => ({ number: n, state: 'closed' })));
    if (list && req.method === 'GET') {
      const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
      const page = Number(url.searchParams.get('page') ?? 1);
      const all = state.comments.filter((c) => c.issue === Number(list[1]));
      const slice = all.slice((page - 1) * perPage, page * perPage);
      const next: Record<string, string> = page * perPage < all.length ? { link: `<${state.url}${url.pathname}?per_page=${perPage}&page=${page + 1}>; rel="next"` } : {};
      return send(res, 200, slice.map((c) => ({ id: c.id, body: c.body, user: { login: 'github-actions[bot]' } })), next);
    }
    if (list && req.method === 'POST') {
      const body = (JSON.parse(raw) as { body?: unknown }).body;
      if (typeof body !== 'string') return send(res, 422, { message: 'Validation Failed' });
      if (body.length > 65_536) return send(res, 422, { message: 'body is too long (maximum is 65536 characters)' });
      const comment = { id: nextId++, issue: Number(list[1]), body };
      state.comments.push(comment);
      return send(res, 201, { id: comment.id, body });
    }
    if (one && req.method === 'PATCH') {
      const comment = state.comments.find((c) => c.id === Number(one[1]));
      if (!comment) return send(res, 404, { message: 'Not Found' });
      const body = (JSON.parse(raw) as { body?: unknown }).body;
      if (typeof body !== 'string' || body.length > 65_536) return send(res, 422, { message: 'Validation Failed' });
      comment.body = body;
      return send(res, 200, { id: comment.id, body });
    }
    return send(res, 404, { message: 'Not Found' });
  };
  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}
