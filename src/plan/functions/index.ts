import { posix } from 'node:path';
import { UserError } from '../../errors';
import type { Snapshot } from '../../introspect/snapshot';
import type { Spec } from '../../spec/types';
import { configToml, type ConfigSection } from '../config-toml';
import { securityContext, type SecurityContext } from '../security/context';
import { mergedCondition } from '../security/policies';
import { SQL_OPERATIONS } from './mapping-doc';
import { DEFAULT_TYPES_OUTPUT } from '../types/index';
import type { GeneratedFile } from '../types';
import { apiCatalog } from './catalog';
import { classifyOperations, type ApiContext } from './classify';
import { collectOperations } from './collect';
import { contractsFile } from './contracts';
import { denoJson, functionSource } from './function-file';
import { resourceSegments } from './infer';
import { mappingDocument } from './mapping-doc';
import { HTTP_TS, ROUTER_TS, VALIDATE_TS } from './runtime';
import { AUTH_TS, SUPABASE_TS } from './runtime-auth';
import { adminApplies, adminClaim } from './admin';
import { contractFingerprint } from './fingerprint';
import { handlerFile, handlerStub } from './handlers';
import { str } from './ts';
import { buildNaming } from './naming';
import { hyphenated } from './ts';
import type { AdminRule, ClassifiedOperation, EdgeFunction, Finding, FunctionsClassification } from './types';

export type * from './types';

/** Every API operation -> direct CRUD, RPC through a function, or custom logic. Pure; never throws for findings. */
export function classifyApi(snapshot: Snapshot, spec: Spec): FunctionsClassification {
  const sources = collectOperations(spec.functions);
  const catalog = apiCatalog(snapshot, spec);
  const { drafts, findings } = classifyOperations(sources, catalog, apiContext(spec));
  const admin = adminRuleOf(snapshot, spec);
  const operations: ClassifiedOperation[] = drafts.map(({ wantsFunction, edge, ...d }) => {
    const served = d.kind !== 'crud' || edge;
    const withAdmin = {
      ...d,
      admin: admin && adminApplies({ ...d, function: null }, spec, catalog, admin.users) ? admin.rule : null,
    };
    return {
      ...withAdmin,
      function: served ? hyphenated(wantsFunction ?? groupOf(d, spec.functions.groupBy ?? 'tag')) : null,
    };
  });
  const names = [...new Set(operations.map((o) => o.function).filter((n): n is string => n !== null))].sort();
  const functions: EdgeFunction[] = names.map((name) => {
    const ops = operations.filter((o) => o.function === name);
    // One public or optional route means the gateway must let calls without a token through.
    return { name, verifyJwt: ops.every((o) => o.auth === 'required'), operations: ops };
  });
  findings.push(...unreachable(operations, securityContext(snapshot, spec)));
  const order = { error: 0, warning: 1, info: 2 };
  findings.sort(
    (a, b) =>
      order[a.severity] - order[b.severity] ||
      (a.operationId < b.operationId ? -1 : a.operationId > b.operationId ? 1 : 0),
  );
  return { operations, functions, findings };
}

/** CRUD the security plan opens to nobody: the call would find or change no rows. */
function unreachable(operations: ClassifiedOperation[], security: SecurityContext): Finding[] {
  return operations.flatMap((o) => {
    const covered = o.table ? security.tables.find((t) => t.key === o.table!.source) : undefined;
    if (!o.table || !covered) return [];
    const ops = SQL_OPERATIONS[o.table.operation];
    const open = ops.some((op) =>
      (['anon', 'authenticated'] as const).some((role) => mergedCondition(covered.table, covered, op, role) !== null),
    );
    if (open) return [];
    return [
      {
        severity: 'warning' as const,
        operationId: o.operationId,
        at: o.at,
        message: `${o.operationId} (${o.method} ${o.path}) ${ops.join('/')}s ${covered.key}, which no security pattern opens to anon or authenticated: only service_role reaches its rows`,
        fix: `add a pattern for ${ops.join('/')} under security.${covered.key}, or serve it from a function that checks the caller`,
      },
    ];
  });
}

function apiContext(spec: Spec): ApiContext {
  const doc = spec.functions.openapi;
  const users = spec.security.usersTable;
  return {
    schemas: doc?.schemas ?? {},
    schemes: Object.values(doc?.securitySchemes ?? {}),
    users: users ? { table: users.table, idColumn: users.idColumn } : {},
  };
}

/** The admin claim and the users table (source name) whose rows' owners it overrides. */
function adminRuleOf(snapshot: Snapshot, spec: Spec): { rule: AdminRule; users: string } | null {
  const catalog = apiCatalog(snapshot, spec);
  const usersKey = spec.security.usersTable?.table;
  const key = usersKey
    ? usersKey.includes('.')
      ? usersKey
      : `public.${usersKey}`
    : ['users', 'user', 'profiles', 'accounts']
        .map((n) => catalog.exposedByName.get(n))
        .filter((e) => e !== undefined)
        .map((e) => `${e!.table.schema}.${e!.table.name}`)[0];
  const entry = key ? catalog.bySource.get(key) : undefined;
  if (!key || !entry) return null;
  const rule = adminClaim(spec, { schema: entry.schema, table: entry.table.name }, catalog);
  return rule ? { rule, users: key } : null;
}

function groupOf(op: { tags: string[]; path: string }, by: 'tag' | 'resource'): string {
  const resource = resourceSegments(op.path).find((s) => !s.startsWith('{')) ?? 'api';
  return by === 'tag' && op.tags.length > 0 ? op.tags[0] : resource;
}

/** The generated files: functions, shared code, contracts, API_MAPPING.md and config.toml sections. */
export function planFunctions(snapshot: Snapshot, spec: Spec): { files: GeneratedFile[]; config: ConfigSection[] } {
  const hasApi = spec.functions.openapi !== undefined || (spec.functions.endpoints ?? []).length > 0;
  if (!hasApi) return { files: [], config: [] };
  const c = classifyApi(snapshot, spec);
  const errors = c.findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) throw new UserError(errors.map((f) => `${f.at} ${f.message}`).join('\n'), errors[0].fix);
  const dir = `${spec.output.supabaseDir}/functions`;
  const typesPath = spec.types.output ?? DEFAULT_TYPES_OUTPUT;
  const fromShared = posix.relative(`${dir}/_shared`, typesPath);
  const fromFunction = (name: string) => posix.relative(`${dir}/${name}`, typesPath);
  const source = [
    spec.functions.openapi?.file,
    (spec.functions.endpoints ?? []).length > 0 ? 'functions.endpoints in migration.yaml' : null,
  ]
    .filter(Boolean)
    .join(' and ');
  const naming = buildNaming(
    Object.keys(spec.functions.openapi?.schemas ?? {}).sort(),
    c.operations.map((o) => o.operationId),
  );
  const files: GeneratedFile[] = [
    {
      path: `${dir}/API_MAPPING.md`,
      content: mappingDocument(
        c,
        securityContext(snapshot, spec),
        source,
        Object.values(spec.functions.openapi?.securitySchemes ?? {}),
      ),
    },
    { path: `${dir}/_shared/contracts.ts`, content: contractsFile(spec.functions.openapi, c.operations, naming) },
    { path: `${dir}/_shared/http.ts`, content: HTTP_TS },
    { path: `${dir}/_shared/router.ts`, content: ROUTER_TS },
    {
      path: `${dir}/_shared/supabase.ts`,
      content: supabaseSource(fromShared, adminRuleOf(snapshot, spec)?.rule ?? null),
    },
    { path: `${dir}/_shared/validate.ts`, content: VALIDATE_TS },
  ];
  if (c.operations.some((o) => o.authRoute)) files.push({ path: `${dir}/_shared/auth.ts`, content: AUTH_TS });
  const schemas = spec.functions.openapi?.schemas ?? {};
  for (const fn of c.functions) {
    files.push({ path: `${dir}/${fn.name}/index.ts`, content: functionSource(fn, fromFunction(fn.name), naming) });
    files.push({ path: `${dir}/${fn.name}/deno.json`, content: denoJson() });
    for (const o of fn.operations.filter((x) => x.kind === 'custom')) {
      const content = handlerStub(o, `${o.method} ${o.path} at ${o.at}`, naming);
      files.push({
        path: `${dir}/${fn.name}/${handlerFile(o)}`,
        content,
        owner: 'user',
        contract: contractFingerprint(o, schemas),
      });
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const config = c.functions.map((fn) => ({ table: `functions.${fn.name}`, entries: { verify_jwt: fn.verifyJwt } }));
  return { files, config };
}

function supabaseSource(typesImport: string, admin: AdminRule | null): string {
  return SUPABASE_TS.replace("'../../types/database.types.ts'", `'${typesImport}'`).replace(
    'export const ADMIN_CLAIM: string | null = null;',
    `export const ADMIN_CLAIM: string | null = ${admin ? str(admin.claim) : 'null'};`,
  );
}

/** config.toml from every planner's sections (only functions contribute so far). */
export function planConfigFile(spec: Spec, sections: ConfigSection[]): GeneratedFile[] {
  const file = configToml(spec.output.supabaseDir, sections);
  return file ? [file] : [];
}
