import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';

/** The README's first command: the demo must finish, clean, with nothing installed but Node. */
describe('supamigrate demo', () => {
  it('migrates, validates and re-applies the example as a no-op, and exits 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sm-demo-'));
    const r = runCli(['demo', '--dir', dir], { env: { SOURCE_DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/x' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('schema: source and target match');
    expect(r.stdout).toMatch(/data: 39 tables, 51546 rows, checksums match/);
    expect(r.stdout).toMatch(/security: \d+ table x role x operation cells, 0 differ from the spec; 0 advisor lints at ERROR or WARN/);
    expect(r.stdout).toMatch(/== apply again \(idempotent\)\n0 executed, \d+ skipped/);
    expect(readdirSync(join(dir, 'supabase/migrations')).length).toBeGreaterThanOrEqual(3);
  });
});
