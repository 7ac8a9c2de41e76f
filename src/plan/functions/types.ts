import type { AuthMode, HttpMethod, JsonSchema, OpenApiParameter } from '../../openapi/types';
import type { MappingValue, TableOperation } from '../../spec/functions';

/** Where a value the database needs comes from in the request. */
export type ValueSource =
  | { kind: 'param'; name: string; in: 'path' | 'query' }
  | { kind: 'body'; field: string | null }
  | { kind: 'literal'; value: MappingValue };

/** The TypeScript type of a column or argument as database.types.ts has it, for conversions. */
export type ScalarType = 'number' | 'string' | 'boolean' | 'other';

export interface TableTarget {
  /** Source `schema.table` (the key the spec uses) and the target names after renames. */
  source: string;
  schema: string;
  name: string;
  operation: TableOperation;
  /** eq filters (select/get/update/delete) or column values (insert/upsert). */
  filters: { column: string; value: ValueSource; type: ScalarType; optional: boolean }[];
  /** `limit` / `offset` query parameters, for lists. */
  paging: { limit: string | null; offset: string | null };
}

export interface RpcTarget {
  schema: string;
  name: string;
  args: { name: string; value: ValueSource; type: ScalarType }[];
  /** The function is in the migrated snapshot (so database.types.ts knows its Args). */
  known: boolean;
}

export type OperationKind = 'crud' | 'rpc' | 'auth' | 'custom';

export type AuthKind = 'sign-in' | 'sign-up' | 'recover' | 'reset' | 'current-user' | 'update-current-user';

/**
 * A legacy auth route served by Supabase Auth; the data the generated adapter takes (\`_shared/auth.ts\`'s
 * AuthRoute).
 */
export interface AuthRouteTarget {
  kind: AuthKind;
  operationId: string;
  wrapper: string | null;
  email: string;
  password: string;
  status: number;
  failure: number;
  response: { wrapper: string | null; fields: string[] };
  profile: { schema: string; table: string; id: string; columns: string[] } | null;
}

/** "Admin may read/update/delete any": the claim that marks an admin, where the operation uses it. */
export interface AdminRule {
  claim: string;
  /** The users table column it comes from. */
  column: string;
}

/** One API operation and what it becomes on Supabase. */
export interface ClassifiedOperation {
  operationId: string;
  method: HttpMethod;
  path: string;
  tags: string[];
  summary: string | null;
  /** `file:line:col` of the operation (or its mapping). */
  at: string;
  kind: OperationKind;
  /** How the mapping was found: written in the spec / document, or inferred from path and names. */
  mappedBy: 'declared' | 'inferred';
  /** The edge function that serves it; null for CRUD called directly with supabase-js. */
  function: string | null;
  /** auth === 'required' (kept for callers that only ask that). */
  requiresAuth: boolean;
  /** As the document (or the spec's verify_jwt) says; `assumed` when neither says anything. */
  auth: AuthMode;
  authAssumed: boolean;
  /** Security scheme names the operation's requirements name. */
  schemes: string[];
  table: TableTarget | null;
  authRoute: AuthRouteTarget | null;
  /** Set on table operations where an admin reaches every row (not only the caller's own). */
  admin: AdminRule | null;
  rpc: RpcTarget | null;
  /** For custom operations: what the handler does / why it could not be mapped. */
  reason: string | null;
  parameters: OpenApiParameter[];
  requestBody: { schema: JsonSchema; required: boolean; properties: string[]; form?: true } | null;
  response: { status: number; schema: JsonSchema | null } | null;
}

export interface Finding {
  severity: 'error' | 'warning' | 'info';
  operationId: string;
  at: string;
  message: string;
  fix: string;
}

export interface EdgeFunction {
  name: string;
  verifyJwt: boolean;
  operations: ClassifiedOperation[];
}

export interface FunctionsClassification {
  operations: ClassifiedOperation[];
  functions: EdgeFunction[];
  findings: Finding[];
}
