import type { AuthMode, JsonSchema, OpenApiOperation, SecurityScheme } from '../../openapi/types';
import { sensitiveColumns } from '../security/source-rules';
import type { ApiCatalog } from './catalog';
import type { AuthKind, AuthRouteTarget } from './types';

const SIGN_IN = new Set(['login', 'signin', 'sign-in', 'token', 'access-token', 'sessions']);
const SIGN_UP = new Set(['signup', 'sign-up', 'register', 'users', 'user']);
const CURRENT = new Set(['me', 'user']);
const EMAIL = ['email', 'username'];
const PASSWORD = ['password', 'new_password', 'newPassword'];
const PROFILE_TABLES = ['users', 'user', 'profiles', 'accounts'];

/** Schemas by `$ref`, through `allOf`: the properties an object schema ends up with. */
function propertiesOf(
  schema: JsonSchema | null | undefined,
  schemas: Record<string, JsonSchema>,
  depth = 0,
): Record<string, JsonSchema> {
  if (!schema || depth > 10) return {};
  if (typeof schema.$ref === 'string')
    return propertiesOf(schemas[schema.$ref.split('/').pop() ?? ''], schemas, depth + 1);
  const own = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const parts = Array.isArray(schema.allOf)
    ? (schema.allOf as JsonSchema[]).map((p) => propertiesOf(p, schemas, depth + 1))
    : [];
  return Object.assign({}, ...parts, own);
}

/** `{user: {email, password}}` -> wrapper `user` and its fields; a flat body has no wrapper. */
function shapeOf(
  schema: JsonSchema | null | undefined,
  schemas: Record<string, JsonSchema>,
): { wrapper: string | null; fields: string[] } {
  const props = propertiesOf(schema, schemas);
  const names = Object.keys(props);
  if (names.length === 1) {
    const inner = Object.keys(propertiesOf(props[names[0]], schemas));
    if (inner.length > 0) return { wrapper: names[0], fields: inner.sort() };
  }
  return { wrapper: null, fields: names.sort() };
}

const stripped = (url: string) => url.replace(/^[a-z]+:\/\/[^/]+/i, '').replace(/^\/+|\/+$/g, '');

function isTokenUrl(op: OpenApiOperation, schemes: SecurityScheme[]): boolean {
  const path = stripped(op.path);
  return schemes.some(
    (s) =>
      s.tokenUrl !== null &&
      stripped(s.tokenUrl) !== '' &&
      (stripped(s.tokenUrl).endsWith(path) || path.endsWith(stripped(s.tokenUrl))),
  );
}

/** What a route of the legacy API does for auth, read off its method, path and body. */
function kindOf(op: OpenApiOperation, body: string[], schemes: SecurityScheme[], mode: AuthMode): AuthKind | null {
  const words = op.path
    .toLowerCase()
    .split('/')
    .filter((s) => s !== '' && !s.startsWith('{'));
  const last = words[words.length - 1] ?? '';
  const hasParams = op.path.includes('{');
  const withPassword = body.some((f) => PASSWORD.includes(f));
  const withEmail = body.some((f) => EMAIL.includes(f)) || op.parameters.some((p) => p.name === 'email');
  if (op.method === 'POST' && withPassword && (isTokenUrl(op, schemes) || SIGN_IN.has(last))) return 'sign-in';
  // A POST /users that needs a token is an admin creating a user, not a sign-up.
  if (op.method === 'POST' && withPassword && withEmail && SIGN_UP.has(last) && !hasParams && mode !== 'required')
    return 'sign-up';
  if (op.method === 'POST' && withEmail && words.some((w) => /password-recovery|^recover|forgot-password/.test(w)))
    return 'recover';
  if ((op.method === 'POST' || op.method === 'PUT') && withPassword && words.some((w) => /reset-password/.test(w)))
    return 'reset';
  if (CURRENT.has(last) && !hasParams && op.method === 'GET') return 'current-user';
  if (CURRENT.has(last) && !hasParams && (op.method === 'PUT' || op.method === 'PATCH')) return 'update-current-user';
  return null;
}

/** The legacy users table, kept as the profile table: the spec's users_table, else one named like it. */
function profileTable(
  catalog: ApiCatalog,
  usersTable: string | undefined,
  idColumn: string | undefined,
): AuthRouteTarget['profile'] {
  const key = usersTable ? (usersTable.includes('.') ? usersTable : `public.${usersTable}`) : null;
  const entry = key
    ? catalog.bySource.get(key)
    : PROFILE_TABLES.map((n) => catalog.exposedByName.get(n)).find((e) => e !== undefined);
  if (!entry) return null;
  const pk = entry.table.constraints.find((c) => c.kind === 'p');
  const id = idColumn ?? (pk && pk.columns.length === 1 ? pk.columns[0] : 'id');
  // Secret-looking columns (the password hash) are never granted to the API roles: naming them, or
  // selecting *, would be refused.
  const hidden = new Set(sensitiveColumns(entry.table));
  const columns = entry.table.columns
    .map((c) => c.name)
    .filter((c) => !hidden.has(c))
    .sort();
  return { schema: entry.schema, table: entry.table.name, id, columns };
}

/** The Supabase Auth call an operation becomes, with the legacy request and answer shapes; null for other routes. */
export function authRoute(
  op: OpenApiOperation,
  doc: { schemas: Record<string, JsonSchema>; schemes: SecurityScheme[] },
  catalog: ApiCatalog,
  users: { table?: string; idColumn?: string },
  mode: AuthMode,
): AuthRouteTarget | null {
  const body = shapeOf(op.requestBody?.schema, doc.schemas);
  const kind = kindOf(op, body.fields, doc.schemes, mode);
  if (!kind) return null;
  const response = shapeOf(op.response?.schema, doc.schemas);
  const pick = (names: string[], fallback: string) =>
    body.fields.find((f) => names.includes(f)) ?? op.parameters.find((p) => names.includes(p.name))?.name ?? fallback;
  return {
    kind,
    operationId: op.operationId,
    wrapper: body.wrapper,
    email: pick(EMAIL, 'email'),
    password: pick(PASSWORD, 'password'),
    status: op.response?.status ?? 200,
    failure: op.errorStatuses.includes(401) ? 401 : op.errorStatuses.includes(422) && kind !== 'sign-in' ? 422 : 400,
    response,
    profile: profileTable(catalog, users.table, users.idColumn),
  };
}

export const AUTH_CALLS: Record<AuthKind, { fn: string; call: string }> = {
  'sign-in': { fn: 'signIn', call: 'auth.signInWithPassword' },
  'sign-up': { fn: 'signUp', call: 'auth.signUp + profile row' },
  recover: { fn: 'recover', call: 'auth.resetPasswordForEmail' },
  reset: { fn: 'resetPassword', call: 'auth.verifyOtp (recovery) + auth.updateUser({ password })' },
  'current-user': { fn: 'currentUser', call: 'auth.getUser() joined with the profile row (id = auth.uid())' },
  'update-current-user': { fn: 'updateCurrentUser', call: 'auth.updateUser (email, password) + profile row update' },
};
