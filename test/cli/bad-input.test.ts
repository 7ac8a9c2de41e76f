import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'sm-cli-'));
const goodSpec = join(dir, 'migration.yaml');
writeFileSync(goodSpec, 'version: 1\nname: app\nsource:\n  url: postgresql://u:s3cr3t@127.0.0.1:1/app\ntarget:\n  url: pglite://memory\n');
const brokenSpec = join(dir, 'broken.yaml');
writeFileSync(brokenSpec, 'version: 1\nname: app\ndata:\n  paralel: 4\n');
const tokenSpec = join(dir, 'token.yaml');
writeFileSync(tokenSpec, `version: 1\nname: app\nsecurity:\n  public.notes:\n    - custom: { using: "token = '\${GITHUB_TOKEN}'" }\n`);
const urlSpec = join(dir, 'url.yaml');
writeFileSync(urlSpec, 'version: 1\nname: app\ntarget:\n  url: ${SM_UNSET_TARGET}\n');

/** Each case: the arguments, and what the error must say. All are user errors: exit 2, no stack trace. */
const cases: [string, string[], RegExp][] = [
  ['unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
  ['unknown flag', ['plan', '--chekc'], /unknown option '--chekc'/],
  ['missing spec file', ['--spec', join(dir, 'nope.yaml'), 'plan'], /nope\.yaml.*does not exist/s],
  ['spec with an unknown key', ['--spec', brokenSpec, 'plan'], /broken\.yaml:4:3 data\.paralel/],
  ['bad target URL', ['--spec', goodSpec, '--target', 'mysql://x', 'status'], /not a database URL/],
  ['unreachable source', ['--spec', goodSpec, 'introspect'], /cannot reach postgresql:\/\/u:\*\*\*@127\.0\.0\.1:1\/app[\s\S]*fix: check the host and port/],
  ['unroutable target', ['--spec', goodSpec, '--target', 'postgresql://u:s3cr3t@10.255.255.1:5432/app', 'bootstrap'], /cannot reach postgresql:\/\/u:\*\*\*@10\.255\.255\.1[\s\S]*fix: .*session pooler/],
  ['a URL variable unset, named by the command that needs it', ['--spec', urlSpec, 'bootstrap'], /`bootstrap` connects to the target database: url\.yaml:4:8 target\.url reads \$\{SM_UNSET_TARGET\}, which is not set\n {2}fix: export SM_UNSET_TARGET=<url>, or pass --target <url>/],
  ['a variable in a field that is not a connection setting', ['--spec', tokenSpec, 'plan'], /token\.yaml:5:24 security\.public\.notes\[0\]\.custom\.using: \$\{GITHUB_TOKEN\} is not allowed here/],
  ['rollback without a bound', ['--spec', goodSpec, 'rollback'], /pass --to <checkpoint> or --all/],
  ['rollback with both bounds', ['--spec', goodSpec, 'rollback', '--all', '--to', '3'], /cannot be used with/],
  ['init without a source', ['init', '--dir', dir], /pass --source <url>/],
  ['apply before plan', ['--spec', goodSpec, 'apply'], /no plan found.*supamigrate plan/s],
  ['analyze before introspect', ['--spec', goodSpec, 'analyze'], /snapshot\.json does not exist/],
  ['bootstrap without a target', ['--spec', join(dir, 'none.yaml'), 'bootstrap'], /pass --target <url>, export SUPABASE_DB_URL/],
];

describe('the CLI on bad input', () => {
  it.each(cases)('%s: exit 2 with a clear message and no stack trace', (_name, args, message) => {
    // A variable set for every case: no message may show its value.
    const r = runCli(args, { cwd: dir, env: { SOURCE_DATABASE_URL: '', SUPABASE_DB_URL: '', GITHUB_TOKEN: 'ghp_s3cr3t' } });
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(r.stderr + r.stdout).not.toContain('s3cr3t');
  });

  it('--help lists every command and exits 0', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['init', 'introspect', 'analyze', 'plan', 'bootstrap', 'apply', 'status', 'rollback', 'validate', 'demo']) {
      expect(r.stdout).toContain(c);
    }
  });
});
