import { withTls } from '../../src/action/tls';

describe('the TLS the Action connects with', () => {
  it('sets sslmode=verify-full (and the root certificate) on server URLs that leave TLS unsaid', () => {
    const env = withTls({ SUPABASE_DB_URL: 'postgresql://postgres:pw@aws-0-eu-west-1.pooler.supabase.com:5432/postgres', OTHER: 'x' }, 'verify-full', 'certs/prod-ca-2021.crt');
    const url = new URL(env.SUPABASE_DB_URL as string);
    expect(url.searchParams.get('sslmode')).toBe('verify-full');
    expect(url.searchParams.get('sslrootcert')).toBe('certs/prod-ca-2021.crt');
    expect(url.password).toBe('pw');
    expect(env.OTHER).toBe('x');
  });

  it('leaves loopback hosts, embedded databases and URLs that choose their own sslmode alone', () => {
    const env = {
      SUPABASE_DB_URL: 'postgresql://postgres@127.0.0.1:5432/app',
      SOURCE_DATABASE_URL: 'postgres://u@db.example.com/app?sslmode=require',
    };
    expect(withTls(env, 'verify-full', '')).toEqual(env);
    expect(withTls({ SUPABASE_DB_URL: 'pglite://memory' }, 'verify-full', '')).toEqual({ SUPABASE_DB_URL: 'pglite://memory' });
  });

  it('refuses an sslmode libpq does not know', () => {
    expect(() => withTls({}, 'verify_full', '')).toThrow(/sslmode must be one of/);
  });
});
