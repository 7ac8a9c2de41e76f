import { createHmac, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A stand-in for Supabase Auth (GoTrue), which cannot run here. It follows GoTrue's documented
 * endpoints under /auth/v1 (POST /token?grant_type=password, POST /signup, POST /recover,
 * POST /verify, GET and PUT /user), its session and user bodies, its error bodies
 * (`{ code, error_code, msg }`) and its access token claims, signed HS256 with the project's JWT
 * secret. Users live in memory; recovery tokens land in `mailbox`, as the e-mail would carry them.
 */
export interface AuthUser {
  id: string;
  email: string;
  password: string;
  appMetadata: Record<string, unknown>;
  userMetadata: Record<string, unknown>;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export function signJwt(claims: Record<string, unknown>, secret: string): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  return `${head}.${body}.${createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url')}`;
}

export function verifyJwt(token: string, secret: string): Record<string, unknown> | null {
  const [head, body, signature] = token.split('.');
  if (!head || !body || !signature) return null;
  if (createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url') !== signature) return null;
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
  return typeof claims.exp === 'number' && claims.exp * 1000 < Date.now() ? null : claims;
}

export class AuthStandIn {
  readonly users = new Map<string, AuthUser>();
  /** email -> the last recovery token sent to it. */
  readonly mailbox = new Map<string, string>();
  readonly requests: { method: string; path: string; body: unknown }[] = [];
  /** Called when a user signs up, as GoTrue writes auth.users in the project's database. */
  onSignUp: ((u: AuthUser) => Promise<void>) | null = null;

  constructor(readonly secret: string, readonly issuer: string) {}

  seed(email: string, password: string, appMetadata: Record<string, unknown> = {}): AuthUser {
    const user = { id: randomUUID(), email, password, appMetadata: { provider: 'email', providers: ['email'], ...appMetadata }, userMetadata: {} };
    this.users.set(email, user);
    return user;
  }

  /** An access token as GoTrue issues it for this user. */
  tokenFor(user: AuthUser, secret = this.secret): string {
    const now = Math.floor(Date.now() / 1000);
    return signJwt({ aud: 'authenticated', exp: now + 3600, iat: now, iss: this.issuer, sub: user.id, email: user.email, phone: '', app_metadata: user.appMetadata, user_metadata: user.userMetadata, role: 'authenticated', aal: 'aal1', amr: [{ method: 'password', timestamp: now }], session_id: randomUUID(), is_anonymous: false }, secret);
  }

  private userBody(u: AuthUser): Record<string, unknown> {
    const at = '2026-01-01T00:00:00Z';
    return { id: u.id, aud: 'authenticated', role: 'authenticated', email: u.email, email_confirmed_at: at, phone: '', app_metadata: u.appMetadata, user_metadata: u.userMetadata, identities: [], created_at: at, updated_at: at, is_anonymous: false };
  }

  private session(u: AuthUser): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    return { access_token: this.tokenFor(u), token_type: 'bearer', expires_in: 3600, expires_at: now + 3600, refresh_token: randomUUID().slice(0, 12), user: this.userBody(u) };
  }

  private caller(req: IncomingMessage): AuthUser | null {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const claims = token ? verifyJwt(token, this.secret) : null;
    return claims ? [...this.users.values()].find((u) => u.id === claims.sub) ?? null : null;
  }

  /** Answers a request below /auth/v1; false when the path is not Auth's. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    if (!url.pathname.startsWith('/auth/v1/')) return false;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = (text ? JSON.parse(text) : {}) as Record<string, any>;
    const path = url.pathname.slice('/auth/v1'.length);
    this.requests.push({ method: req.method ?? 'GET', path: `${path}${url.search}`, body });
    const send = (status: number, out: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(out));
    const fail = (status: number, code: string, msg: string) => send(status, { code: status, error_code: code, msg });
    const route = `${req.method} ${path}`;
    if (route === 'POST /token' && url.searchParams.get('grant_type') === 'password') {
      const u = this.users.get(String(body.email ?? ''));
      if (!u || u.password !== body.password) fail(400, 'invalid_credentials', 'Invalid login credentials');
      else send(200, this.session(u));
    } else if (route === 'POST /signup') {
      if (this.users.has(body.email)) return (fail(422, 'user_already_exists', 'User already registered'), true);
      if (String(body.password ?? '').length < 6) return (fail(422, 'weak_password', 'Password should be at least 6 characters.'), true);
      const u = this.seed(body.email, body.password);
      u.userMetadata = body.data ?? {};
      await this.onSignUp?.(u);
      send(200, this.session(u));
    } else if (route === 'POST /recover') {
      if (this.users.has(body.email)) this.mailbox.set(body.email, randomUUID());
      send(200, {});
    } else if (route === 'POST /verify') {
      const email = [...this.mailbox].find(([, token]) => token === body.token_hash)?.[0];
      if (body.type !== 'recovery' || !email) return (fail(403, 'otp_expired', 'Email link is invalid or has expired'), true);
      this.mailbox.delete(email);
      send(200, this.session(this.users.get(email)!));
    } else if (path === '/user' && (req.method === 'GET' || req.method === 'PUT')) {
      const u = this.caller(req);
      if (!u) return (fail(403, 'bad_jwt', 'invalid JWT: unable to parse or verify signature, token is unverifiable'), true);
      if (req.method === 'PUT') this.update(u, body);
      send(200, this.userBody(u));
    } else fail(404, 'not_found', `no route ${route}`);
    return true;
  }

  private update(u: AuthUser, body: Record<string, any>): void {
    if (typeof body.password === 'string') u.password = body.password;
    if (typeof body.email === 'string' && body.email !== u.email) {
      this.users.delete(u.email);
      u.email = body.email;
      this.users.set(u.email, u);
    }
    if (body.data && typeof body.data === 'object') u.userMetadata = { ...u.userMetadata, ...body.data };
  }
}
