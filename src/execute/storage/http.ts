import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';

/** Where the transfer talks to Supabase Storage, with one pool of kept-alive connections. */
export interface StorageEndpoint {
  /** The Storage API root, `${SUPABASE_URL}/storage/v1`. */
  base: URL;
  serviceRoleKey: string;
  agent: HttpAgent;
}

export function storageEndpoint(supabaseUrl: string, serviceRoleKey: string, maxSockets = 64): StorageEndpoint {
  const base = new URL(`${supabaseUrl.replace(/\/+$/, '')}/storage/v1`);
  const agent =
    base.protocol === 'https:'
      ? new HttpsAgent({ keepAlive: true, maxSockets })
      : new HttpAgent({ keepAlive: true, maxSockets });
  return { base, serviceRoleKey, agent };
}

/**
 * A key as a URL path: every segment percent-encoded, so `?`, `#`, spaces and `+` reach the
 * server inside the path instead of starting a query or a fragment (the server decodes the path
 * before it reads the key; supabase-js puts the key into the URL as it is).
 */
export const encodeKey = (key: string): string => key.split('/').map(encodeURIComponent).join('/');

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A refusal as the server words it: the status the body names (Storage answers 400 with the real one inside). */
export interface Refusal {
  statusCode: string;
  message: string;
}

export function refusalOf(a: Answer): Refusal {
  try {
    const body = JSON.parse(a.body.toString('utf8')) as {
      statusCode?: string | number;
      message?: string;
      error?: string;
    };
    return { statusCode: String(body.statusCode ?? a.status), message: String(body.message ?? body.error ?? a.status) };
  } catch {
    return { statusCode: String(a.status), message: a.body.toString('utf8').slice(0, 300) || `HTTP ${a.status}` };
  }
}

/** One request on the endpoint's pool; the body is streamed, the answer read whole (answers are small). */
export function call(
  ep: StorageEndpoint,
  method: string,
  path: string,
  headers: OutgoingHttpHeaders,
  body?: Readable | Buffer | string,
): Promise<Answer> {
  const url = path.startsWith('http')
    ? new URL(path)
    : new URL(`${ep.base.pathname.replace(/\/$/, '')}${path}`, ep.base);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  // Node sends no length for a DELETE body unless told; the server would read it as the next request.
  const length =
    typeof body === 'string' || Buffer.isBuffer(body) ? { 'content-length': String(Buffer.byteLength(body)) } : {};
  return new Promise<Answer>((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        agent: ep.agent,
        headers: { authorization: `Bearer ${ep.serviceRoleKey}`, apikey: ep.serviceRoleKey, ...length, ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
      req.end(body);
      return;
    }
    body.on('error', (err) => req.destroy(err));
    body.pipe(req);
  });
}

/** Removes objects by key, 1,000 per request as the API takes them. */
export async function removeObjects(ep: StorageEndpoint, bucket: string, keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 1000) {
    const a = await call(
      ep,
      'DELETE',
      `/object/${encodeURIComponent(bucket)}`,
      { 'content-type': 'application/json' },
      JSON.stringify({ prefixes: keys.slice(i, i + 1000) }),
    );
    if (a.status >= 300) {
      const r = refusalOf(a);
      throw new Error(`removing objects from bucket ${bucket}: [${r.statusCode}] ${r.message}`);
    }
  }
}
