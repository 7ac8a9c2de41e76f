import { redactUrl } from '../db/url';
import type { KeyPath } from '../yaml/problem';

const urlKeys = new Set(['url', 'supabase_url']);
const secretKeys = new Set(['anon_key', 'service_role_key']);

/** A value as it may appear in an error: URLs lose their password, keys are never shown. */
export function describeValue(path: KeyPath, value: unknown): string {
  const key = path[path.length - 1];
  if (typeof key === 'string' && secretKeys.has(key)) return '(value hidden)';
  if (typeof value === 'string') {
    const shown = typeof key === 'string' && urlKeys.has(key) ? hidePassword(value) : value;
    return JSON.stringify(shown.length > 60 ? `${shown.slice(0, 57)}...` : shown);
  }
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/**
 * redactUrl plus the cases it leaves visible: a password holding '@' or '/' (the userinfo then
 * runs to the last '@').
 */
export function hidePassword(url: string): string {
  const redacted = redactUrl(url);
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(redacted);
  const at = redacted.lastIndexOf('@');
  if (!scheme || at < 0) return redacted;
  const userinfo = redacted.slice(scheme[0].length, at);
  const colon = userinfo.indexOf(':');
  if (colon < 0 || userinfo.slice(colon + 1) === '***') return redacted;
  return `${scheme[0]}${userinfo.slice(0, colon)}:***${redacted.slice(at)}`;
}

const typeNames: Record<string, string> = {
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  string: 'a string',
  array: 'a list',
  object: 'a mapping (indented key: value lines)',
  null: 'nothing',
};

export function describeType(type: string): string {
  return type
    .split(',')
    .map((t) => typeNames[t] ?? t)
    .join(' or ');
}
