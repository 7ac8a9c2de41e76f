/**
 * An OpenAPI 3.0 / 3.1 document reduced to what the functions planner needs: its operations
 * with parameters, request and response schemas, and the component schemas they refer to.
 * Schemas stay JSON Schema objects; local `$ref`s are checked to resolve but kept as written,
 * so contracts can name the component types.
 */
export type JsonSchema = { [key: string]: unknown };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: JsonSchema;
}

export type AuthMode = 'public' | 'optional' | 'required';

/** A `components.securitySchemes` entry, reduced to what the functions need. */
export interface SecurityScheme {
  name: string;
  kind: 'oauth2-password' | 'bearer' | 'apiKey-header' | 'other';
  /** The header that carries the credential (apiKey's `name`, else Authorization). */
  header: string | null;
  /** The OAuth2 password flow's token URL, as written (`/login/access-token`, `api/v1/token`). */
  tokenUrl: string | null;
}

/** The security the operation has: its own `security`, else the document's. */
export interface OperationSecurity {
  mode: AuthMode;
  /** Scheme names its requirements name, sorted. */
  schemes: string[];
}

export interface OpenApiOperation {
  /** The document's operationId, or one derived from method and path. */
  operationId: string;
  method: HttpMethod;
  /** The path as the document writes it, with {param} placeholders (server base paths are not prepended). */
  path: string;
  tags: string[];
  summary: string | null;
  parameters: OpenApiParameter[];
  /** The application/json request body schema, if the operation takes one. */
  requestBody: { schema: JsonSchema; required: boolean; properties: string[]; form?: true } | null;
  /** Status and application/json schema of the first 2xx response that has one. */
  response: { status: number; schema: JsonSchema | null } | null;
  /** The 4xx statuses the document lists, sorted. */
  errorStatuses: number[];
  /** True when the operation (or the document) requires a security scheme; null when neither says. */
  requiresAuth: boolean | null;
  /** The security in force (operation, else document); null when neither says. */
  security: OperationSecurity | null;
  /** The `x-supabase` extension: how the operation maps onto Supabase, if the document says. */
  extension: Record<string, unknown> | null;
  /** Where the operation is written: `openapi.yaml:LINE:COL`. */
  at: string;
}

export interface OpenApiDocument {
  /** The file as the spec names it (relative to the spec's folder). */
  file: string;
  version: string;
  title: string;
  /** Sorted by path, then method. */
  operations: OpenApiOperation[];
  /** components.schemas, by name. */
  schemas: Record<string, JsonSchema>;
  /** components.securitySchemes, by name. */
  securitySchemes: Record<string, SecurityScheme>;
}

/** A problem in an OpenAPI document, at a JSON path, before it is placed at a line and column. */
export interface Problem {
  path: (string | number)[];
  message: string;
  fix: string;
  onKey?: boolean;
}
