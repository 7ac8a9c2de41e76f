import { UserError } from '../errors';

/** URL variables the Action connects through. */
const URL_VARIABLES = ['SUPABASE_DB_URL', 'SOURCE_DATABASE_URL'];
const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);
const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

/**
 * The environment apply runs with: a server URL that says nothing about TLS gets the Action's
 * sslmode (verify-full unless the workflow says otherwise) and, when given, the root certificate
 * to verify it with (Supabase's CA is not in the public trust store). Loopback hosts and URLs
 * that choose their own sslmode are left as they are.
 */
export function withTls(env: NodeJS.ProcessEnv, sslmode: string, rootCert: string): NodeJS.ProcessEnv {
  if (!SSL_MODES.includes(sslmode))
    throw new UserError(
      `sslmode must be one of ${SSL_MODES.join(', ')}, not \`${sslmode}\``,
      'set `with: sslmode: verify-full` (or another of them) in the workflow',
    );
  const out = { ...env };
  for (const name of URL_VARIABLES) {
    const value = env[name];
    if (!value || !/^postgres(ql)?:\/\//.test(value)) continue;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      continue; // the spec loader reports a malformed URL with its position
    }
    if (LOOPBACK.has(url.hostname) || url.searchParams.has('sslmode')) continue;
    url.searchParams.set('sslmode', sslmode);
    if (rootCert && !url.searchParams.has('sslrootcert')) url.searchParams.set('sslrootcert', rootCert);
    out[name] = url.toString();
  }
  return out;
}
