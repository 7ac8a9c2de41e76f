/**
 * `_shared/supabase.ts` (per-request client, the caller, the admin claim) and `_shared/auth.ts`
 * (legacy auth routes served by Supabase Auth, answering in the legacy shapes). Fixed text but
 * for the admin claim, which the plan fills in.
 */

export const SUPABASE_TS = `import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '../../types/database.types.ts';
import { json } from './http.ts';

export type Client = SupabaseClient<Database>;

/** The app_metadata claim that marks an administrator (from the users table), or null. */
export const ADMIN_CLAIM: string | null = null;

/** Who is calling, from a token Supabase Auth issued. */
export interface Caller {
  id: string;
  email: string | null;
  appMetadata: Record<string, unknown>;
  /** The admin claim is set: a boolean flag that is true, or a role of admin / superuser. */
  isAdmin: boolean;
}

function env(name: string): string {
  const value = Deno.env.get(name);
  if (!value) throw new Error(name + ' must be set');
  return value;
}

const NO_SESSION = { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false };

/**
 * A client per request that carries the caller's token, so PostgREST runs the query as that
 * user and row level security applies; without a token it runs as anon.
 */
export function clientFor(ctx: { token: string | null }): Client {
  const headers: Record<string, string> = ctx.token ? { Authorization: 'Bearer ' + ctx.token } : {};
  return createClient<Database>(env('SUPABASE_URL'), env('SUPABASE_ANON_KEY'), { global: { headers }, auth: NO_SESSION });
}

/** Auth calls that need no user (sign-in, sign-up, recovery). */
export function anonClient(): Client {
  return createClient<Database>(env('SUPABASE_URL'), env('SUPABASE_ANON_KEY'), { auth: NO_SESSION });
}

/**
 * For "admin may read/update/delete any": a verified admin caller reaches every row through the
 * service role; everyone else goes through clientFor and row level security.
 */
export function clientOrAdmin(ctx: { token: string | null; caller: Caller | null }): Client {
  if (!ctx.caller?.isAdmin) return clientFor(ctx);
  return createClient<Database>(env('SUPABASE_URL'), env('SUPABASE_SERVICE_ROLE_KEY'), { auth: NO_SESSION });
}

function isAdmin(appMetadata: Record<string, unknown>): boolean {
  if (ADMIN_CLAIM === null) return false;
  const value = appMetadata[ADMIN_CLAIM];
  return value === true || value === 'true' || value === 'admin' || value === 'superuser';
}

function decodeClaims(token: string): Record<string, unknown> | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const text = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
    const value = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : null;
  } catch {
    return null;
  }
}

/**
 * The caller of a token. With verify, Supabase Auth checks it (GET /auth/v1/user) and null means
 * it is not valid; without, the gateway checked it (verify_jwt = true) and its claims are read.
 */
export async function callerOf(token: string, verify: boolean): Promise<Caller | null> {
  if (verify) {
    const { data, error } = await anonClient().auth.getUser(token);
    if (error || !data.user) return null;
    const appMetadata = (data.user.app_metadata ?? {}) as Record<string, unknown>;
    return { id: data.user.id, email: data.user.email ?? null, appMetadata, isAdmin: isAdmin(appMetadata) };
  }
  const claims = decodeClaims(token);
  if (!claims || typeof claims.sub !== 'string') return null;
  const appMetadata = (claims.app_metadata ?? {}) as Record<string, unknown>;
  return { id: claims.sub, email: typeof claims.email === 'string' ? claims.email : null, appMetadata, isAdmin: isAdmin(appMetadata) };
}

/** For functions database.types.ts does not describe yet (created by another part of the plan). */
export function untyped(client: Client): SupabaseClient {
  return client as unknown as SupabaseClient;
}

interface DbError {
  code?: string;
  message: string;
  details?: string | null;
  hint?: string | null;
}

/** PostgREST's error codes -> the HTTP status the legacy API would have answered. */
const STATUS: Record<string, number> = {
  PGRST116: 404,
  '42501': 403,
  '23505': 409,
  '23503': 409,
  '23502': 400,
  '23514': 400,
  '22P02': 400,
  P0001: 400,
};

export function dbError(error: DbError, status?: number): Response {
  const code = error.code ?? '';
  const fallback = status && status >= 400 ? status : 500;
  return json(STATUS[code] ?? fallback, { error: error.message, code, details: error.details ?? null, hint: error.hint ?? null });
}
`;

export const AUTH_TS = `import { json } from './http.ts';
import type { RequestContext } from './router.ts';
import { anonClient, clientFor, untyped } from './supabase.ts';

/** What one legacy auth route looks like: where its body keeps the fields, what it answers. */
export interface AuthRoute {
  operationId: string;
  /** The body property that wraps the fields (\`user\` in {user: {email, password}}), or null. */
  wrapper: string | null;
  /** Body field (or path parameter) names of the email and the password. */
  email: string;
  password: string;
  /** Status of the legacy success answer, and the status it gave for bad credentials. */
  status: number;
  failure: number;
  /** The legacy answer: an optional wrapper and its fields. */
  response: { wrapper: string | null; fields: string[] };
  /** The migrated profile table (the legacy users table), joined on id = auth.uid(). */
  profile: { schema: string; table: string; id: string; columns: string[] } | null;
}

type Row = Record<string, unknown>;
interface AuthUser {
  id: string;
  email?: string;
}

function fieldsOf(ctx: RequestContext, route: AuthRoute): Row {
  const body = (ctx.body ?? {}) as Row;
  const inner = route.wrapper ? body[route.wrapper] : body;
  return { ...(ctx.params as Row), ...(typeof inner === 'object' && inner !== null ? (inner as Row) : {}) };
}

/** The error body answers both common legacy shapes: \`detail\` (FastAPI) and \`errors.body\` (RealWorld). */
function failed(status: number, message: string): Response {
  return json(status, { detail: message, errors: { body: [message] } });
}

/** The legacy answer: token from the session, email and id from Supabase Auth, the rest from the profile row. */
function legacyBody(route: AuthRoute, user: AuthUser, token: string | null, row: Row | null): unknown {
  const out: Row = {};
  for (const field of route.response.fields) {
    if (field === 'token' || field === 'access_token') out[field] = token;
    else if (field === 'token_type') out[field] = 'bearer';
    else if (row && row[field] !== undefined) out[field] = row[field];
    else if (field === 'email') out[field] = user.email ?? null;
    else if (field === 'id') out[field] = user.id;
    else out[field] = null;
  }
  return route.response.wrapper ? { [route.response.wrapper]: out } : out;
}

async function profileRow(route: AuthRoute, token: string, userId: string): Promise<Row | null> {
  if (!route.profile) return null;
  const p = route.profile;
  const { data } = await untyped(clientFor({ token })).schema(p.schema).from(p.table).select(p.columns.join(',')).eq(p.id, userId).maybeSingle();
  return (data as Row | null) ?? null;
}

/** Profile columns the body carries (never the password). */
function profileValues(route: AuthRoute, fields: Row): Row {
  const out: Row = {};
  for (const column of route.profile?.columns ?? []) {
    if (column !== route.password && fields[column] !== undefined) out[column] = fields[column];
  }
  return out;
}

/** Token from password -> auth.signInWithPassword. */
export async function signIn(ctx: RequestContext, route: AuthRoute): Promise<Response> {
  const fields = fieldsOf(ctx, route);
  const { data, error } = await anonClient().auth.signInWithPassword({ email: String(fields[route.email] ?? ''), password: String(fields[route.password] ?? '') });
  if (error || !data.session) return failed(route.failure, error?.message ?? 'invalid login credentials');
  const row = await profileRow(route, data.session.access_token, data.user.id);
  return json(route.status, legacyBody(route, data.user, data.session.access_token, row));
}

/** Sign-up -> auth.signUp, then the profile row with the new user's id. */
export async function signUp(ctx: RequestContext, route: AuthRoute): Promise<Response> {
  const fields = fieldsOf(ctx, route);
  const email = String(fields[route.email] ?? '');
  const values = profileValues(route, fields);
  const { data, error } = await anonClient().auth.signUp({ email, password: String(fields[route.password] ?? ''), options: { data: values } });
  if (error || !data.user) return failed(error?.status === 422 || !error ? 422 : error.status ?? 400, error?.message ?? 'sign-up failed');
  const token = data.session?.access_token ?? null;
  let row: Row | null = null;
  if (route.profile) {
    const p = route.profile;
    const insert = { ...values, [p.id]: data.user.id, ...(p.columns.includes('email') ? { email } : {}) };
    const result = await untyped(clientFor({ token })).schema(p.schema).from(p.table).insert(insert).select(p.columns.join(',')).maybeSingle();
    if (result.error) return failed(result.error.code === '23505' ? 422 : 400, result.error.message);
    row = result.data as Row | null;
  }
  return json(route.status, legacyBody(route, data.user, token, row));
}

/** Password recovery -> auth.resetPasswordForEmail; answers the same whether the address is known. */
export async function recover(ctx: RequestContext, route: AuthRoute): Promise<Response> {
  const fields = fieldsOf(ctx, route);
  const { error } = await anonClient().auth.resetPasswordForEmail(String(fields[route.email] ?? ''));
  if (error && error.status !== 404) return failed(error.status ?? 400, error.message);
  return json(route.status, messageBody(route, 'Password recovery email sent'));
}

function messageBody(route: AuthRoute, message: string): unknown {
  return route.response.fields.includes('message') ? { message } : {};
}

/** PUT /auth/v1/user: what auth.updateUser sends, with the caller's token instead of a stored session. */
async function updateAuthUser(token: string, attributes: Row): Promise<{ user: AuthUser | null; message: string | null; status: number }> {
  const url = Deno.env.get('SUPABASE_URL') + '/auth/v1/user';
  const headers = { Authorization: 'Bearer ' + token, apikey: Deno.env.get('SUPABASE_ANON_KEY') ?? '', 'Content-Type': 'application/json' };
  const res = await fetch(url, { method: 'PUT', headers, body: JSON.stringify(attributes) });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) return { user: null, message: body.msg ?? body.message ?? body.error_description ?? 'update failed', status: res.status };
  return { user: body as AuthUser, message: null, status: res.status };
}

/** Reset with the recovery token -> auth.verifyOtp (type recovery), then auth.updateUser({ password }). */
export async function resetPassword(ctx: RequestContext, route: AuthRoute): Promise<Response> {
  const fields = fieldsOf(ctx, route);
  const { data, error } = await anonClient().auth.verifyOtp({ token_hash: String(fields.token ?? ''), type: 'recovery' });
  if (error || !data.session) return failed(400, error?.message ?? 'invalid token');
  const updated = await updateAuthUser(data.session.access_token, { password: String(fields[route.password] ?? '') });
  if (!updated.user) return failed(updated.status, updated.message ?? 'update failed');
  return json(route.status, messageBody(route, 'Password updated successfully'));
}

/** Current user -> auth.getUser() joined with the profile row (id = auth.uid()). */
export async function currentUser(ctx: RequestContext, route: AuthRoute): Promise<Response> {
  const { data, error } = await anonClient().auth.getUser(ctx.token ?? '');
  if (error || !data.user) return failed(401, error?.message ?? 'not signed in');
  const row = await profileRow(route, ctx.token!, data.user.id);
  return json(route.status, legacyBody(route, data.user, ctx.token, row));
}

/** Update of the current user -> auth.updateUser for email/password, the profile row for the rest. */
export async function updateCurrentUser(ctx: RequestContext, route: AuthRoute): Promise<Response> {
  const fields = fieldsOf(ctx, route);
  const attributes: Row = {};
  if (typeof fields[route.email] === 'string') attributes.email = fields[route.email];
  if (typeof fields[route.password] === 'string') attributes.password = fields[route.password];
  const updated = await updateAuthUser(ctx.token!, attributes);
  if (!updated.user) return failed(updated.status, updated.message ?? 'update failed');
  let row: Row | null = null;
  if (route.profile) {
    const p = route.profile;
    const values = profileValues(route, fields);
    const db = untyped(clientFor(ctx)).schema(p.schema).from(p.table);
    const result = Object.keys(values).length > 0 ? await db.update(values).eq(p.id, updated.user.id).select(p.columns.join(',')).maybeSingle() : await db.select(p.columns.join(',')).eq(p.id, updated.user.id).maybeSingle();
    if (result.error) return failed(result.error.code === '23505' ? 422 : 400, result.error.message);
    row = result.data as Row | null;
  }
  return json(route.status, legacyBody(route, updated.user, ctx.token, row));
}
`;
