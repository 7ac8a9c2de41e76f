import { UserError } from '../errors';

export type DbUrl = { kind: 'pg'; url: string } | { kind: 'pglite'; location: string };

/** Parses a database URL, refusing anything we cannot open with a message saying what works. */
export function parseDbUrl(raw: string, key = 'url'): DbUrl {
  const value = raw.trim();
  if (value.startsWith('pglite://')) {
    const location = value.slice('pglite://'.length);
    if (!location)
      throw new UserError(`${key}: "pglite://" needs a location`, 'use pglite://memory or pglite://<directory>');
    return { kind: 'pglite', location };
  }
  if (/^postgres(ql)?:\/\//.test(value)) {
    try {
      new URL(value);
    } catch {
      throw new UserError(
        `${key}: ${redactUrl(value)} is not a valid URL`,
        'write postgresql://user:password@host:5432/database',
      );
    }
    return { kind: 'pg', url: value };
  }
  throw new UserError(
    `${key}: ${JSON.stringify(redactUrl(value))} is not a database URL`,
    'use postgresql://user:password@host:5432/database, pglite://memory or pglite://<directory>',
  );
}

/** Hides the password of a URL so it can be printed or logged. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}
