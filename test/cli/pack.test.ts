import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/sources';

const npm = (args: string[], cwd: string) => spawnSync('npm', args, { cwd, encoding: 'utf8', timeout: 300_000 });

/**
 * The package as npm publishes it: packed from the built tree (`npm test` builds first),
 * installed into an empty folder, and run there through npx, away from the clone.
 */
describe('npm pack', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sm-pack-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives a package that installs into an empty folder, where `npx supamigrate --help` works', () => {
    const packed = npm(['pack', '--ignore-scripts', '--pack-destination', dir], ROOT);
    expect(packed.status).toBe(0);
    const tarball = readdirSync(dir).find((n) => n.endsWith('.tgz')) as string;
    expect(tarball).toMatch(/^supamigrate-\d+\.\d+\.\d+\.tgz$/);
    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{ "name": "app", "version": "1.0.0", "private": true }\n');
    // The npm cache first; the registry only for what it lacks.
    const installed = npm(['install', join(dir, tarball), '--prefer-offline', '--no-audit', '--no-fund'], app);
    expect({ status: installed.status, stderr: installed.status === 0 ? '' : installed.stderr }).toEqual({ status: 0, stderr: '' });
    const help = spawnSync('npx', ['--no-install', 'supamigrate', '--help'], { cwd: app, encoding: 'utf8', timeout: 60_000 });
    expect(help.status).toBe(0);
    for (const command of ['init', 'plan', 'apply', 'status', 'validate']) expect(help.stdout).toContain(command);
    const plan = spawnSync('npx', ['--no-install', 'supamigrate', 'plan', '--help'], { cwd: app, encoding: 'utf8', timeout: 60_000 });
    expect(plan.stdout).toContain('--spec <path>');
  }, 600_000);
});
