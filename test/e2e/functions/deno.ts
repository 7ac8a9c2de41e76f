import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ROOT } from '../../helpers/sources';

export const DENO = join(ROOT, 'node_modules/.bin/deno');

export function denoCheck(cwd: string, config: string, entries: string[]): { code: number | null; output: string } {
  const r = spawnSync(DENO, ['check', '--quiet', '--config', config, ...entries], { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Runs the generated functions with Deno, each on its own local port, in one Deno process (one
 * start instead of one per function on a shared machine). Deno.serve is wrapped only to choose
 * the port and report when it listens; each function's own code runs unchanged.
 */
export async function serveFunctions(functionsDir: string, names: string[], env: Record<string, string>): Promise<{ urls: Record<string, string>; child: ChildProcess }> {
  const ports = await Promise.all(names.map(() => freePort()));
  const harness = join(functionsDir, 'serve.test-harness.ts');
  writeFileSync(harness, [
    'const ports: number[] = JSON.parse(Deno.env.get("PORTS")!);',
    'const names: string[] = JSON.parse(Deno.env.get("NAMES")!);',
    'const serve = Deno.serve;',
    'let current = 0;',
    '// deno-lint-ignore no-explicit-any',
    '(Deno as any).serve = (handler: Deno.ServeHandler) => {',
    '  const i = current;',
    '  return serve({ port: ports[i], hostname: "127.0.0.1", onListen: () => console.log("listening " + names[i]) }, handler);',
    '};',
    'for (const name of names) {',
    '  await import("./" + name + "/index.ts");',
    '  current++;',
    '}',
    '',
  ].join('\n'));
  const child = spawn(DENO, ['run', '--quiet', '--allow-net', '--allow-env', '--allow-read', '--config', join(functionsDir, names[0], 'deno.json'), harness], {
    cwd: functionsDir,
    env: { ...process.env, ...env, PORTS: JSON.stringify(ports), NAMES: JSON.stringify(names), NO_COLOR: '1' },
  });
  let output = '';
  child.stderr?.on('data', (d) => (output += String(d)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`deno did not start the functions: ${output}`)), 90_000);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`deno exited (${code}) before the functions listened: ${output}`));
    };
    child.on('exit', onExit);
    child.stdout?.on('data', (d) => {
      output += String(d);
      if (names.every((n) => output.includes(`listening ${n}\n`))) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve();
      }
    });
  });
  return { urls: Object.fromEntries(names.map((n, i) => [n, `http://127.0.0.1:${ports[i]}/${n}`])), child };
}
