import { createHmac, timingSafeEqual } from 'node:crypto';

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/** An HS256 JWT, the kind Supabase issues for anon, authenticated and service_role. */
export function signJwt(claims: Record<string, unknown>, secret: string): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

/** The claims of a token signed with `secret` and not expired; null for anything else. */
export function verifyJwt(
  token: string,
  secret: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const expected = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString()) as { alg?: string };
    if (header.alg !== 'HS256') return null;
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString()) as Record<string, unknown>;
    if (typeof claims.exp === 'number' && claims.exp < nowSeconds) return null;
    return claims;
  } catch {
    return null;
  }
}

/** A service_role key for a local stand-in: what Supabase's CLI prints for `supabase start`, signed with our secret. */
export function serviceRoleKey(secret: string): string {
  return signJwt({ iss: 'supamigrate-standin', role: 'service_role', iat: 0 }, secret);
}
