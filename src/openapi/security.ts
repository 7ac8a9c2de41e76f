/**
 * Who may call an operation, as the document says it: the operation's `security`, else the
 * document's; `[]` or an empty requirement `{}` means public, a list that also has `{}` means
 * the token is optional. Scheme kinds are read from `components.securitySchemes`.
 */
import type { AuthMode, OperationSecurity, SecurityScheme } from './types';

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `components.securitySchemes`, by name, sorted. */
export function securitySchemes(doc: Plain): Record<string, SecurityScheme> {
  const components = isPlain(doc.components) ? doc.components : {};
  const raw = isPlain(components.securitySchemes) ? components.securitySchemes : {};
  const out: Record<string, SecurityScheme> = {};
  for (const name of Object.keys(raw).sort()) {
    const s = raw[name];
    if (isPlain(s)) out[name] = schemeOf(name, s);
  }
  return out;
}

function schemeOf(name: string, s: Plain): SecurityScheme {
  const flows = isPlain(s.flows) ? s.flows : {};
  const password = isPlain(flows.password) ? flows.password : null;
  if (s.type === 'oauth2' && password) {
    const tokenUrl = typeof password.tokenUrl === 'string' ? password.tokenUrl : null;
    return { name, kind: 'oauth2-password', header: 'Authorization', tokenUrl };
  }
  if (s.type === 'oauth2' || s.type === 'openIdConnect')
    return { name, kind: 'bearer', header: 'Authorization', tokenUrl: null };
  if (s.type === 'http') {
    const scheme = String(s.scheme ?? '').toLowerCase();
    return { name, kind: scheme === 'bearer' ? 'bearer' : 'other', header: 'Authorization', tokenUrl: null };
  }
  if (s.type === 'apiKey') {
    const header = s.in === 'header' && typeof s.name === 'string' ? s.name : null;
    return { name, kind: header ? 'apiKey-header' : 'other', header, tokenUrl: null };
  }
  return { name, kind: 'other', header: null, tokenUrl: null };
}

/** The operation's security, else the document's; null when neither says anything. */
export function operationSecurity(own: unknown, global: unknown): OperationSecurity | null {
  const list = Array.isArray(own) ? own : Array.isArray(global) ? global : null;
  if (!list) return null;
  const requirements = list.filter(isPlain);
  const empty = requirements.filter((r) => Object.keys(r).length === 0).length;
  const schemes = [...new Set(requirements.flatMap((r) => Object.keys(r)))].sort();
  const mode: AuthMode = schemes.length === 0 ? 'public' : empty > 0 ? 'optional' : 'required';
  return { mode, schemes };
}

/** How a person reads a scheme in API_MAPPING.md. */
export function describeScheme(s: SecurityScheme): string {
  switch (s.kind) {
    case 'oauth2-password':
      return `OAuth2 password flow (${s.name}${s.tokenUrl ? `, tokenUrl ${s.tokenUrl}` : ''}): \`Authorization: Bearer <token>\``;
    case 'bearer':
      return `bearer (${s.name}): \`Authorization: Bearer <token>\``;
    case 'apiKey-header':
      return `apiKey header (${s.name}): \`${s.header}: Token <token>\` (Bearer accepted too)`;
    default:
      return `${s.name} (not a token scheme Supabase reads)`;
  }
}
